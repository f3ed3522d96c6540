/// An rpmsg address: a number, or RPMSG_ADDR_ANY (printed by the kernel as -1 or 0xffffffff).
public struct RpmsgAddress: Codable, Hashable, Sendable, CustomStringConvertible {
    public static let any = RpmsgAddress(0xFFFF_FFFF)
    public static let nameService = RpmsgAddress(53)
    /// Addresses below this are reserved for static channels; dynamic ones start here.
    public static let firstDynamic: UInt32 = 1024

    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Parses the kernel's spellings: "0x1e" (bus attributes), "30" and "-1" (class attributes).
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        let parsed: UInt32?
        if trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") {
            parsed = UInt32(trimmed.dropFirst(2), radix: 16)
        } else if trimmed.hasPrefix("-") {
            // Class attributes print the u32 with %d, so addresses of 2^31 and above appear negative.
            parsed = Int32(trimmed).map { UInt32(bitPattern: $0) }
        } else {
            parsed = UInt32(trimmed)
        }
        guard let parsed else { return nil }
        self.value = parsed
    }

    public init(from decoder: Decoder) throws {
        value = try decoder.singleValueContainer().decode(UInt32.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var isAny: Bool { self == .any }

    public var description: String {
        isAny ? "ANY" : value.hexText + " (\(value))"
    }

    public var hex: String { isAny ? "ANY" : value.hexText }
}

extension UInt32 {
    /// "0x1e", as the kernel prints addresses, features and status.
    public var hexText: String { "0x" + String(self, radix: 16) }
}

public struct RemoteProcessor: Codable, Equatable, Sendable {
    public var name: String
    public var sysfsPath: String
    public var processorName: String?
    public var state: String?
    public var firmware: String?
    public var recovery: String?
    public var resourceTable: ResourceTable?

    /// The platform device the core hangs under ("imx8mp-cm7", "78000000.r5f"): what tells cores apart where every
    /// remoteproc has the same name (imx_rproc calls each "imx-rproc").
    public var platformDevice: String? {
        let components = sysfsPath.split(separator: "/")
        guard components.starts(with: ["sys", "devices"]), let index = components.lastIndex(of: "remoteproc"), index > 2,
              components.last.map(String.init) == name else { return nil }
        return String(components[index - 1])
    }

    /// "remoteproc0 (imx8mp-cm7)", or with the remoteproc's own name where the platform device is unknown.
    public var label: String {
        "\(name) (\(platformDevice ?? processorName ?? "remote processor"))"
    }

    /// Running, or attached to a core a boot loader started (its firmware then reads "unknown"), or left running
    /// on its own after a detach: none of these is a fault.
    public var isUp: Bool { ["running", "attached", "detached"].contains(state ?? "") }
}

public struct VirtioDevice: Codable, Equatable, Sendable {
    public var name: String
    public var sysfsPath: String
    /// The virtio device id ("0x0007" is rpmsg).
    public var deviceID: String?
    /// The negotiated feature bits as the kernel prints them: character 0 is bit 0.
    public var features: String?
    public var driver: String?
    public var remoteProcessor: String?
    /// The device it hangs under: rproc-virtio.0.auto, remoteproc0#vdev0buffer, or a vendor platform device.
    public var transportParent: String?
    public var transportDriver: String?
    public var transportCompatible: [String] = []

    /// VIRTIO_RPMSG_F_NS (bit 0): whether the remote can announce channels. Nil when features could not be read,
    /// or when no driver is bound: the kernel shows the features a driver negotiated, zeros before any did.
    public var offersNameService: Bool? {
        guard driver != nil, let first = features?.first else { return nil }
        return first == "1"
    }
}

/// A device on the rpmsg bus: an announced channel, the ctrl host device, or the name service.
public struct Channel: Codable, Equatable, Sendable {
    public enum Role: String, Codable, Sendable {
        case announced, control, nameService
    }

    public var deviceName: String
    public var name: String
    public var src: RpmsgAddress?
    public var dst: RpmsgAddress?
    public var announce: Bool?
    public var driver: String?
    public var driverOverride: String?
    public var virtio: String?
    public var remoteProcessor: String?
    public var sysfsPath: String

    /// By what the kernel says, not by name alone: the ctrl host Linux makes for itself (`virtio0.rpmsg_ctrl.0.0`,
    /// `virtio0.rpmsg_chrdev.0.0`) has src and dst 0, while a remote that announces `rpmsg_chrdev` (TI firmware,
    /// `virtio0.rpmsg_chrdev.-1.14`) made a channel with its own address, which applications talk to.
    public var role: Role {
        switch name {
        case "rpmsg_ns": .nameService
        case "rpmsg_ctrl", "rpmsg_chrdev": isLocalControlHost ? .control : .announced
        default: .announced
        }
    }

    private var isLocalControlHost: Bool {
        if let src, let dst { return src.value == 0 && dst.value == 0 }
        return deviceName.hasSuffix(".0.0")
    }
}

public struct ControlDevice: Codable, Equatable, Sendable {
    public var name: String
    public var sysfsPath: String
    public var devNumber: String?
    public var virtio: String?
    public var remoteProcessor: String?
    /// The rpmsg bus device it hangs under (virtioK.rpmsg_ctrl.0.0, or a channel on TI 5.10 and before 5.13).
    public var hostChannel: String?
    public var node: DeviceNode
    public var udev: UdevDevice?

}

public struct EndpointDevice: Codable, Equatable, Sendable {
    public var name: String
    public var sysfsPath: String
    public var devNumber: String?
    public var endpointName: String?
    public var src: RpmsgAddress?
    public var dst: RpmsgAddress?
    public var virtio: String?
    public var remoteProcessor: String?
    /// The ctrl it was created through, when it hangs under one.
    public var control: String?
    /// The channel it belongs to, when rpmsg-raw made it.
    public var hostChannel: String?
    public var node: DeviceNode
    public var udev: UdevDevice?
    public var holders: [ProcessReference] = []

}

public struct RpmsgTTY: Codable, Equatable, Sendable {
    public var name: String
    public var sysfsPath: String
    public var devNumber: String?
    public var hostChannel: String?
    public var virtio: String?
    public var node: DeviceNode

}

public struct BusDriver: Codable, Equatable, Sendable {
    public var name: String
    public var boundDevices: [String] = []

}

public struct ProcessReference: Codable, Equatable, Sendable {
    public var pid: Int32
    public var command: String

}
