/// One kernel uevent, as libudev hands it over or `udevadm monitor --property` prints it: the action, the device's
/// path below /sys, its subsystem and every property (DEVNAME, MODALIAS, DRIVER, SEQNUM, ...).
public struct Uevent: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case add, remove, change, bind, unbind, move
        case other(String)

        public init(_ text: String) {
            switch text {
            case "add": self = .add
            case "remove": self = .remove
            case "change": self = .change
            case "bind": self = .bind
            case "unbind": self = .unbind
            case "move": self = .move
            default: self = .other(text)
            }
        }
    }

    public var action: Action
    /// DEVPATH: the device's path below /sys, e.g. /devices/platform/remoteproc0/rproc-virtio.0.auto/virtio0.
    public var devpath: String
    public var subsystem: String
    public var properties: [String: String]

    public init(action: Action, devpath: String, subsystem: String, properties: [String: String] = [:]) {
        self.action = action
        self.devpath = devpath
        self.subsystem = subsystem
        self.properties = properties
    }

    /// The device's directory in sysfs.
    public var sysfsPath: String { "/sys" + devpath }

    /// The kernel's name of the device: the last component of its path.
    public var deviceName: String { String(devpath.split(separator: "/").last ?? "") }

    /// DEVNAME as a /dev path, for devices that have a node.
    public var node: String? { properties["DEVNAME"].map { $0.hasPrefix("/") ? $0 : "/dev/" + $0 } }

    public var seqnum: UInt64? { properties["SEQNUM"].flatMap { UInt64($0) } }

    /// The uevents of a recording made with `udevadm monitor --kernel --property` (or `--udev`): blocks of
    /// KEY=VALUE lines separated by blank lines; the header line of each block ("KERNEL[...] add ...") is skipped.
    public static func parseRecording(_ text: String) -> [Uevent] {
        var events: [Uevent] = []
        var properties: [String: String] = [:]
        func flush() {
            if let action = properties["ACTION"], let devpath = properties["DEVPATH"] {
                events.append(Uevent(action: Action(action), devpath: devpath, subsystem: properties["SUBSYSTEM"] ?? "", properties: properties))
            }
            properties = [:]
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                flush()
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("KERNEL["), !line.hasPrefix("UDEV ["), !line.hasPrefix("UDEV["),
                      line[..<equals].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
                properties[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        flush()
        return events
    }
}
