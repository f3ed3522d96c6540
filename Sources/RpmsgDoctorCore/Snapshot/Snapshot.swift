/// Everything rpmsg-doctor read from one system, as a plain value: diagnosis and rendering start here,
/// whether it was read live, below a root directory, or loaded from a file someone attached to a report.
public struct Snapshot: Codable, Equatable, Sendable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var generator: String
    public var source: String
    public var system: SystemContext
    public var user: UserCredentials
    public var remoteProcessors: [RemoteProcessor]
    public var virtioDevices: [VirtioDevice]
    public var channels: [Channel]
    public var controlDevices: [ControlDevice]
    public var endpointDevices: [EndpointDevice]
    public var ttys: [RpmsgTTY]
    public var drivers: [BusDriver]
    public var udev: UdevState
    public var kernelLog: KernelLog
    public var deviceTree: [DeviceTreeNode]
    /// What could not be read, and why: scan never needs root, but it says what it missed.
    public var unreadable: [ReadProblem]

    init(
        generator: String = ToolVersion.description,
        source: String,
        system: SystemContext = SystemContext(),
        user: UserCredentials,
        remoteProcessors: [RemoteProcessor] = [],
        virtioDevices: [VirtioDevice] = [],
        channels: [Channel] = [],
        controlDevices: [ControlDevice] = [],
        endpointDevices: [EndpointDevice] = [],
        ttys: [RpmsgTTY] = [],
        drivers: [BusDriver] = [],
        udev: UdevState = UdevState(),
        kernelLog: KernelLog = KernelLog(),
        deviceTree: [DeviceTreeNode] = [],
        unreadable: [ReadProblem] = []
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.generator = generator
        self.source = source
        self.system = system
        self.user = user
        self.remoteProcessors = remoteProcessors
        self.virtioDevices = virtioDevices
        self.channels = channels
        self.controlDevices = controlDevices
        self.endpointDevices = endpointDevices
        self.ttys = ttys
        self.drivers = drivers
        self.udev = udev
        self.kernelLog = kernelLog
        self.deviceTree = deviceTree
        self.unreadable = unreadable
    }
}

public enum ToolVersion {
    public static let number = "0.1.0"
    public static let description = "rpmsg-doctor \(number)"
}

public struct ReadProblem: Codable, Equatable, Sendable {
    public var path: String
    public var error: String

}

public struct UserCredentials: Codable, Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var groups: [UInt32] = []
    public var userName: String?
    /// Names of the groups that matter here (the user's and the device nodes'), from the system's /etc/group.
    public var groupNames: [String: String] = [:]

    public var isRoot: Bool { uid == 0 }

    public func groupName(_ gid: UInt32) -> String? { groupNames[String(gid)] }
}
