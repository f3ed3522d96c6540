public struct SystemContext: Codable, Equatable, Sendable {
    public var kernelRelease: String?
    /// rpmsg-related character device regions from /proc/devices (rpmsg before 5.18; rpmsg_ctrl and rpmsg_char after).
    public var characterMajors: [CharacterMajor] = []
    /// Loaded modules whose names mention rpmsg, virtio or remoteproc, from /proc/modules.
    public var loadedModules: [String] = []
    /// Whether the rpmsg bus and class exist at all; nil when that could not be told.
    public var rpmsgBusPresent: Bool? = false
    public var rpmsgClassPresent: Bool? = false
    /// Whether virtio_rpmsg_bus is registered on the virtio bus (/sys/bus/virtio/drivers/virtio_rpmsg_bus).
    public var virtioRpmsgDriverRegistered: Bool?
    public var container = ContainerHints()
    /// The rpmsg, virtio and remoteproc options of the running kernel from /proc/config.gz ("y", "m", or "n" for
    /// "is not set"); nil when it could not be read (CONFIG_IKCONFIG_PROC off, or no zlib).
    public var kernelConfig: [String: String]?
    /// Why /proc/config.gz was not read, in plain words.
    public var kernelConfigNotRead: String?

    /// Major and minor of the release ("6.1.0-27-arm64" gives 6.1), for the layout rules that changed over time.
    public var kernelVersion: (major: Int, minor: Int)? {
        guard let release = kernelRelease else { return nil }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        return (numbers[0], numbers[1])
    }

    public func kernelIsAtLeast(_ major: Int, _ minor: Int) -> Bool? {
        guard let version = kernelVersion else { return nil }
        return (version.major, version.minor) >= (major, minor)
    }
}

public struct CharacterMajor: Codable, Equatable, Sendable {
    public var major: UInt32
    public var name: String

}

public struct ContainerHints: Codable, Equatable, Sendable {
    public var evidence: [String] = []

    public init(evidence: [String] = []) { self.evidence = evidence }

    public var insideContainer: Bool { !evidence.isEmpty }
}

public struct KernelLog: Codable, Equatable, Sendable {
    public var source: String?
    public var readable = false
    public var reason: String?
    /// rpmsg, virtio and remoteproc related messages, oldest first.
    public var lines: [String] = []

    /// What makes a kernel message rpmsg-related: only those are kept in a snapshot.
    static let keywords = [
        "rpmsg", "remoteproc", "rproc", "vring", "vdev", "resource table", "carveout", "kick", "mbox",
        "no recipient", "tx buffer", "idr_alloc", "MU-RPMSG", "mu clock", "mailbox",
    ]

    static func isRelevant(_ message: String) -> Bool {
        keywords.contains(where: message.contains)
    }

}

public struct DeviceTreeNode: Codable, Equatable, Sendable {
    public var path: String
    public var compatible: [String] = []
    public var status: String?
    public var vdevCount: UInt32?
    /// The platform device the kernel made of an enabled rpmsg transport node (its sysfs path), when there is one.
    public var platformDevice: String?
    /// The driver bound to that platform device: none, with the device there, means its driver did not take it.
    public var driver: String?
    /// Why its probe is deferred, from /sys/kernel/debug/devices_deferred (root only): "" when listed without a
    /// reason, nil when not listed or not read.
    public var deferredProbe: String?

    /// The kernel treats a node without status, or with "okay"/"ok", as enabled.
    public var isEnabled: Bool { status == nil || status == "okay" || status == "ok" }

    /// Whether this is a vendor rpmsg transport, such as "fsl,imx8qm-rpmsg"; client nodes ("fsl,imx8mm-rpmsg-audio") are not.
    public var isRpmsgTransport: Bool {
        compatible.contains { $0.hasSuffix("-rpmsg") || $0.hasSuffix(",rpmsg") }
    }

    /// The platform device's name ("b8000000.rpmsg"), as the kernel log names it.
    public var platformDeviceName: String? {
        platformDevice.map { String($0.split(separator: "/").last ?? "") }
    }
}
