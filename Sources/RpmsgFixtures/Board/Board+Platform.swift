import RpmsgDoctorCore

extension Board {
    /// VIRTIO_RPMSG_F_NS: the remote may announce channels.
    public static let nameServiceFeature: UInt64 = 1 << 0

    /// A platform device below /sys/devices/platform ("soc/10000000.m4"), optionally bound to a platform
    /// driver and pointing at its device-tree node (`of_node`).
    public func addPlatformDevice(_ relativePath: String, driver: String? = nil, deviceTreeNode: SysPath? = nil) throws -> SysfsDevice {
        let path = SysPath("/sys/devices/platform/" + relativePath)
        try tree.makeDirectory(path)
        try attachToBus(path, bus: "platform")
        if let driver { try bind(path, toDriver: driver, bus: "platform") }
        if let deviceTreeNode { try tree.link(path + "of_node", to: deviceTreeNode) }
        try writeUevent(path, driver.map { [Array("DRIVER=\($0)".utf8)] } ?? [])
        return made(path, .platform)
    }

    /// `PLATFORM/remoteproc/remoteprocM` with the attributes of sysfs-class-remoteproc.
    public func addRemoteProcessor(under platform: SysfsDevice, processorName: String, state: String = "running",
                                   firmware: String = "rproc-m4-fw", recovery: String = "enabled") throws -> SysfsDevice {
        let name = "remoteproc\(remoteProcessorCount)"
        remoteProcessorCount += 1
        let path = try placeClassDevice(className: "remoteproc", name: Array(name.utf8), parent: platform)
        for (attribute, value) in [("name", processorName), ("state", state), ("firmware", firmware),
                                   ("recovery", recovery), ("coredump", "default")] {
            try tree.writeAttribute(path + attribute, value)
        }
        try writeUevent(path, [])
        return made(path, .remoteProcessor)
    }

    /// A virtio rpmsg device (id 7) bound to virtio_rpmsg_bus. Under a remote processor it gets the transport
    /// device of this kernel (rproc-virtio.J.auto or remoteprocM#vdevJbuffer); under anything else it hangs
    /// directly, as under NXP's imx-rpmsg platform device. With the name-service feature on kernels that
    /// have one, the name-service device `virtioK.rpmsg_ns.53.53` comes with it. Unbound, it is a device whose
    /// driver failed or never came: no rpmsg device below it.
    public func addVirtio(under parent: SysfsDevice, features: UInt64 = Board.nameServiceFeature, bound: Bool = true) throws -> SysfsDevice {
        let transport = parent.kind == .remoteProcessor ? try addVdevTransport(under: parent) : parent
        let path = transport.path + "virtio\(virtioCount)"
        virtioCount += 1
        try tree.makeDirectory(path)
        let modalias = "virtio:d00000007v00000000"
        try tree.writeAttribute(path + "device", "0x0007")
        try tree.writeAttribute(path + "vendor", "0x0000")
        try tree.writeAttribute(path + "status", "0x0000000f")
        try tree.writeAttribute(path + "modalias", modalias)
        // Features are those a driver negotiated: zeros until one probed.
        try tree.writeAttribute(path + "features", String((0..<64).map { bound && features >> $0 & 1 == 1 ? "1" : "0" }))
        try writeUevent(path, (bound ? [Array("DRIVER=virtio_rpmsg_bus".utf8)] : []) + [Array("MODALIAS=\(modalias)".utf8)])
        try attachToBus(path, bus: "virtio")
        let virtio = made(path, .virtio)
        guard bound else { return virtio }
        try bind(path, toDriver: "virtio_rpmsg_bus", bus: "virtio")
        if kernel.hasNameServiceDevice && features & Self.nameServiceFeature != 0 {
            _ = try addBusDevice(on: virtio, name: Array("rpmsg_ns".utf8), src: .nameService, dst: .nameService, driver: "rpmsg_ns")
        }
        return virtio
    }

    private func addVdevTransport(under remoteProcessor: SysfsDevice) throws -> SysfsDevice {
        switch kernel.vdevParent {
        case .rprocVirtio:
            let path = remoteProcessor.path + "rproc-virtio.\(platformAutoID).auto"
            platformAutoID += 1
            try tree.makeDirectory(path)
            try attachToBus(path, bus: "platform")
            try bind(path, toDriver: "rproc-virtio", bus: "platform")
            try writeUevent(path, [Array("DRIVER=rproc-virtio".utf8)])
            return made(path, .virtioTransport)
        case .vdevBuffer:
            let vdevIndex = vdevCounts[remoteProcessor.path, default: 0]
            vdevCounts[remoteProcessor.path] = vdevIndex + 1
            let path = remoteProcessor.path + "\(remoteProcessor.nameText)#vdev\(vdevIndex)buffer"
            try tree.makeDirectory(path)
            try writeUevent(path, [])
            return made(path, .virtioTransport)
        }
    }
}
