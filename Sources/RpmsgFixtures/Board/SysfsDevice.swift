import RpmsgDoctorCore

/// A device directory the board made, to hang further devices under.
public struct SysfsDevice: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case platform, remoteProcessor, virtioTransport, virtio, rpmsgBusDevice, classDevice
    }

    /// Its path in the fixture system, below /sys/devices.
    public let path: SysPath
    public let kind: Kind

    init(path: SysPath, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var name: [UInt8] { path.lastComponent }
    public var nameText: String { DisplayText.decode(name) }
}
