/// A remote core's resource table as the kernel holds it, from debugfs
/// (`/sys/kernel/debug/remoteproc/remoteprocN/resource_table`, readable by root only): the rpmsg devices Linux and
/// the firmware share, and how far Linux got in setting them up.
public struct ResourceTable: Codable, Equatable, Sendable {
    public var path: String
    public var readable = false
    /// Why it was not read, in plain words.
    public var reason: String?
    /// False when the kernel holds none ("No resource table found"); nil when not read.
    public var found: Bool?
    public var vdevs: [VdevResource] = []

    public init(path: String, readable: Bool = false, reason: String? = nil, found: Bool? = nil, vdevs: [VdevResource] = []) {
        self.path = path
        self.readable = readable
        self.reason = reason
        self.found = found
        self.vdevs = vdevs
    }

    /// The vdevs of rpmsg (virtio id 7), the only ones rpmsg-doctor judges.
    public var rpmsgVdevs: [VdevResource] { vdevs.filter { $0.id == VdevResource.rpmsgID } }
}

/// One RSC_VDEV entry: the device features the firmware offers, the features and status Linux wrote back, its vrings.
public struct VdevResource: Codable, Equatable, Sendable {
    public static let rpmsgID: UInt32 = 7

    /// The entry's index in the table.
    public var entry: Int
    public var id: UInt32?
    public var deviceFeatures: UInt32?
    public var guestFeatures: UInt32?
    /// The virtio status byte Linux writes as its driver progresses (DRIVER_OK once rpmsg is ready).
    public var status: UInt32?
    public var vrings: [VringResource] = []

    public init(entry: Int, id: UInt32? = nil, deviceFeatures: UInt32? = nil, guestFeatures: UInt32? = nil, status: UInt32? = nil,
                vrings: [VringResource] = []) {
        self.entry = entry
        self.id = id
        self.deviceFeatures = deviceFeatures
        self.guestFeatures = guestFeatures
        self.status = status
        self.vrings = vrings
    }

    /// VIRTIO_RPMSG_F_NS in the firmware's device features.
    public var offersNameService: Bool? { deviceFeatures.map { $0 & 1 != 0 } }
    public var driverReady: Bool? { status.map { $0 & VirtioStatus.driverOK != 0 } }
    public var failed: Bool { (status ?? 0) & VirtioStatus.failed != 0 }
}

public struct VringResource: Codable, Equatable, Sendable {
    public var deviceAddress: UInt32?
    public var alignment: UInt32?
    public var buffers: UInt32?

    public init(deviceAddress: UInt32? = nil, alignment: UInt32? = nil, buffers: UInt32? = nil) {
        self.deviceAddress = deviceAddress
        self.alignment = alignment
        self.buffers = buffers
    }

    /// A split virtqueue holds a power-of-two number of descriptors; the kernel refuses any other size.
    public var hasValidSize: Bool { buffers.map { $0 > 0 && $0 & ($0 - 1) == 0 } ?? true }
}

/// The bits of the virtio status byte (include/uapi/linux/virtio_config.h).
public enum VirtioStatus {
    public static let acknowledge: UInt32 = 0x1
    public static let driver: UInt32 = 0x2
    public static let driverOK: UInt32 = 0x4
    public static let featuresOK: UInt32 = 0x8
    public static let needsReset: UInt32 = 0x40
    public static let failed: UInt32 = 0x80

    /// "0x7 (ACKNOWLEDGE|DRIVER|DRIVER_OK)", or "0x0 (none)".
    public static func text(_ status: UInt32) -> String {
        status.hexText + " (" + names(status) + ")"
    }

    /// "ACKNOWLEDGE|DRIVER|DRIVER_OK", or "none".
    public static func names(_ status: UInt32) -> String {
        let names = [(acknowledge, "ACKNOWLEDGE"), (driver, "DRIVER"), (driverOK, "DRIVER_OK"), (featuresOK, "FEATURES_OK"),
                     (needsReset, "NEEDS_RESET"), (failed, "FAILED")].filter { status & $0.0 != 0 }.map(\.1)
        return names.isEmpty ? "none" : names.joined(separator: "|")
    }
}
