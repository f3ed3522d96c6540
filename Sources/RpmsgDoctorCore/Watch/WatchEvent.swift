import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// One line of `rpmsg-doctor watch`: a change on the rpmsg bus, tied to its virtio device, remote core and control
/// device as scan maps them, with the findings it matches. In JSON Lines one object per event; keys whose value is
/// not known are absent.
public struct WatchEvent: Encodable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The first line: what is watched and through which source.
        case started
        /// The baseline, one per remote core, before any change.
        case state
        case channelAnnounced, channelDestroyed
        case controlAdded, controlRemoved
        case endpointCreated, endpointDestroyed
        case ttyAdded, ttyRemoved
        case virtioAdded, virtioRemoved
        case remoteprocAdded, remoteprocRemoved, remoteprocState
        /// A remote core came back after a restart and, a while later, had still announced nothing.
        case announcementMissing
        /// The kernel dropped uevents (the socket's buffer overflowed): the state was read again.
        case eventsLost
        /// The last line: why watch stopped.
        case stopped

        /// Whether this is a change (what --count counts), rather than a line of watch's own.
        public var isChange: Bool { ![.started, .state, .eventsLost, .stopped].contains(self) }
    }

    /// Where the events come from: udevd's events (after its rules ran) or the kernel's own.
    public enum Source: String, Codable, Sendable {
        case udev, kernel
    }

    public struct VirtioState: Codable, Equatable, Sendable {
        public var name: String
        public var controls: [String] = []
        public var channels: [ChannelState] = []
        public var endpoints: [EndpointState] = []
        public var ttys: [TTYState] = []
    }

    public struct ChannelState: Codable, Equatable, Sendable {
        public var device: String
        public var name: String
        public var src: RpmsgAddress?
        public var dst: RpmsgAddress?
        public var driver: String?
    }

    public struct EndpointState: Codable, Equatable, Sendable {
        public var node: String
        public var name: String?
        public var src: RpmsgAddress?
        public var dst: RpmsgAddress?
        public var control: String?
        public var holders: [ProcessReference] = []
    }

    public struct TTYState: Codable, Equatable, Sendable {
        public var node: String
        public var channel: String?
    }

    public var schemaVersion = Snapshot.currentSchemaVersion
    public var event: Kind
    /// Wall-clock time, UTC, ISO 8601 with milliseconds.
    public var time: String
    /// Seconds on CLOCK_MONOTONIC, the clock of the kernel log's timestamps (dmesg), so the two line up.
    public var monotonic: Double
    /// The remote core: "remoteproc0 (imx8mp-cm7)", or the virtio device's transport where there is no remoteproc.
    public var core: String?
    public var remoteProcessor: String?
    public var virtio: String?
    /// The control devices that reach the event's virtio device.
    public var controls: [String]?
    /// The control device an endpoint was created through.
    public var control: String?
    /// The kernel's name of the device (virtio1.rpmsg-tty.-1.30, rpmsg0, rpmsg_ctrl1, ttyRPMSG0, virtio1, remoteproc0).
    public var device: String?
    public var node: String?
    /// A channel's or an endpoint's name.
    public var name: String?
    public var src: RpmsgAddress?
    public var dst: RpmsgAddress?
    /// A channel that came back: the address it had before.
    public var previousDst: RpmsgAddress?
    public var driver: String?
    /// The channel a tty or an endpoint device belongs to (rpmsg_tty, rpmsg-raw).
    public var channel: String?
    /// Processes that had the device node open.
    public var holders: [ProcessReference]?
    /// For a new endpoint nobody opened yet: the processes that had its control device open (its creator among them).
    public var controlHolders: [ProcessReference]?
    /// A remoteproc's state, and the one before it.
    public var state: String?
    public var previousState: String?
    /// Removed while its virtio device was already going: it went with the remote.
    public var withVirtio: Bool?
    /// Seconds since the same core's virtio device went, for one that is back.
    public var goneSeconds: Double?
    public var sysfsPath: String?
    /// started: udev or kernel.
    public var source: Source?
    public var generator: String?
    public var subsystems: [String]?
    /// state: the core's virtio devices and what is on them.
    public var virtioDevices: [VirtioState]?
    /// stopped: SIGINT, SIGTERM, count or timeout; and how many changes were seen.
    public var reason: String?
    public var changes: Int?
    public var findings: [Finding] = []

    public init(_ event: Kind, at clock: WatchTime) {
        self.event = event
        self.time = clock.utc
        self.monotonic = clock.monotonic
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, event, time, monotonic, core, remoteProcessor, virtio, controls, control, device, node, name, src, dst,
             previousDst, driver, channel, holders, controlHolders, state, previousState, withVirtio, goneSeconds, sysfsPath,
             source, generator, subsystems, virtioDevices, reason, changes, findings
    }
}

/// A moment, on both clocks an event carries.
public struct WatchTime: Equatable, Sendable {
    public var monotonic: Double
    public var utc: String

    public init(monotonic: Double, utc: String) {
        self.monotonic = monotonic
        self.utc = utc
    }

    /// Now.
    public static func now() -> WatchTime {
        var real = timespec()
        clock_gettime(CLOCK_REALTIME, &real)
        return WatchTime(monotonic: MonotonicClock.now(), utc: iso8601(seconds: Int(real.tv_sec), milliseconds: Int(real.tv_nsec / 1_000_000)))
    }

    /// "2025-03-04T05:06:07.089Z".
    static func iso8601(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { String(value).leftPadded(to: 2) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
            + String(milliseconds).leftPadded(to: 3) + "Z"
    }
}

/// JSON Lines: one compact object per line, keys sorted.
public final class JSONLineEncoder {
    private let encoder: JSONEncoder

    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    public func line<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
