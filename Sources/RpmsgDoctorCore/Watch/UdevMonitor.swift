import CLibudev
#if canImport(Glibc)
import Glibc
#endif

/// The uevents of the rpmsg, virtio, remoteproc and tty subsystems, through libudev: udevd's events when
/// systemd-udevd runs (they come after its rules set the nodes' group and mode), the kernel's own otherwise.
/// A netlink socket: it holds no device open.
final class UdevMonitor {
    static let subsystems = ["rpmsg", "virtio", "remoteproc", "tty"]

    let source: WatchEvent.Source
    let fd: Int32
    private let context: OpaquePointer
    private let monitor: OpaquePointer

    enum Received {
        case event(Uevent)
        /// Nothing more to read now.
        case none
        /// The kernel dropped events: the socket's buffer overflowed.
        case lost
    }

    init(udevRunning: Bool) throws(WatchFailure) {
        source = udevRunning ? .udev : .kernel
        guard let context = udev_new() else { throw WatchFailure("libudev could not start (udev_new failed)") }
        guard let monitor = udev_monitor_new_from_netlink(context, source.rawValue) else {
            udev_unref(context)
            throw WatchFailure("cannot listen to \(source.rawValue) events: \(String(cString: strerror(errno)))")
        }
        self.context = context
        self.monitor = monitor
        for subsystem in Self.subsystems { udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, nil) }
        // Best effort: a larger buffer rides out bursts (a virtio device going takes all its children with it).
        _ = udev_monitor_set_receive_buffer_size(monitor, 4 << 20)
        guard udev_monitor_enable_receiving(monitor) >= 0 else {
            let reason = String(cString: strerror(errno))
            udev_monitor_unref(monitor)
            udev_unref(context)
            throw WatchFailure("cannot listen to \(source.rawValue) events: \(reason)")
        }
        fd = udev_monitor_get_fd(monitor)
    }

    deinit {
        udev_monitor_unref(monitor)
        udev_unref(context)
    }

    /// The next event, without waiting.
    func receive() -> Received {
        errno = 0
        guard let device = udev_monitor_receive_device(monitor) else { return errno == ENOBUFS ? .lost : .none }
        defer { udev_device_unref(device) }
        var properties: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(device)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) {
                properties[Self.text(name)] = udev_list_entry_get_value(current).map(Self.text) ?? ""
            }
            entry = udev_list_entry_get_next(current)
        }
        let action = udev_device_get_action(device).map(Self.text) ?? properties["ACTION"] ?? ""
        let devpath = udev_device_get_devpath(device).map(Self.text) ?? properties["DEVPATH"] ?? ""
        let subsystem = udev_device_get_subsystem(device).map(Self.text) ?? properties["SUBSYSTEM"] ?? ""
        return .event(Uevent(action: Uevent.Action(action), devpath: devpath, subsystem: subsystem, properties: properties))
    }

    /// Names come from firmware: bytes that are not UTF-8 are kept as `\xNN`, as everywhere else.
    private static func text(_ pointer: UnsafePointer<CChar>) -> String {
        DisplayText.decode(UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) })
    }
}

public struct WatchFailure: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
