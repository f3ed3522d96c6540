/// A character device number, "MAJOR:MINOR" as sysfs `dev` attributes print it.
public struct DeviceNumber: Hashable, Sendable, CustomStringConvertible {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    public var description: String { "\(major):\(minor)" }
}

/// What to put in /dev for a class device.
public struct NodeSpec: Sendable {
    public enum Kind: Sendable {
        case characterDevice
        /// A plain file where the node should be, as a botched bind mount or copy leaves it.
        case regularFile
        /// No node at all, as in a container started before the device appeared.
        case absent
    }

    public var kind: Kind
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// A number other than the one sysfs announces, as on a node left from an earlier boot.
    public var staleNumber: DeviceNumber?

    public init(kind: Kind = .characterDevice, mode: UInt32 = 0o600, uid: UInt32 = 0, gid: UInt32 = 0, staleNumber: DeviceNumber? = nil) {
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.staleNumber = staleNumber
    }

    /// What devtmpfs makes when no udev rule applies: root:root 0600.
    public static let rootOnly = NodeSpec()
    public static let absent = NodeSpec(kind: .absent)
    public static let regularFile = NodeSpec(kind: .regularFile)

    /// What a udev rule such as `SUBSYSTEM=="rpmsg", GROUP="dialout", MODE="0660"` makes.
    public static func group(_ gid: UInt32, mode: UInt32 = 0o660) -> NodeSpec {
        NodeSpec(mode: mode, gid: gid)
    }
}
