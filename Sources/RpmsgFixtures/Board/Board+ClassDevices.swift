import RpmsgDoctorCore

extension Board {
    /// An endpoint device `rpmsgX` with its decimal `name`, `src` and `dst`: under a ctrl when
    /// RPMSG_CREATE_EPT_IOCTL made it, under a channel when rpmsg_chrdev bound an `rpmsg-raw` channel.
    public func addEndpoint(under parent: SysfsDevice, name: [UInt8], src: RpmsgAddress, dst: RpmsgAddress,
                            index: Int? = nil, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        let number = index ?? endpointCount
        endpointCount = max(endpointCount, number + 1)
        let endpoint = try addCharacterClassDevice(className: "rpmsg", name: Array("rpmsg\(number)".utf8), parent: parent,
                                                   region: endpointRegion, node: node)
        try tree.writeAttribute(endpoint.path + "name", bytes: Self.kernelName(name))
        try tree.writeAttribute(endpoint.path + "src", String(Self.signed(src)))
        try tree.writeAttribute(endpoint.path + "dst", String(Self.signed(dst)))
        return endpoint
    }

    public func addEndpoint(under parent: SysfsDevice, name: String, src: RpmsgAddress, dst: RpmsgAddress,
                            index: Int? = nil, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        try addEndpoint(under: parent, name: Array(name.utf8), src: src, dst: dst, index: index, node: node)
    }

    /// Mainline rpmsg_tty (5.16+): `CHANNEL/tty/ttyRPMSGn` in the driver's `ttyRPMSG` region.
    public func addRpmsgTTY(under channel: SysfsDevice, index: Int, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        if major(ofRegion: "ttyRPMSG") == nil { try addCharacterRegion("ttyRPMSG") }
        return try addCharacterClassDevice(className: "tty", name: Array("ttyRPMSG\(index)".utf8), parent: channel,
                                           region: "ttyRPMSG", node: node)
    }

    /// NXP imx_rpmsg_tty: one tty driver per channel named `ttyRPMSG<dst>`, registered without a parent device,
    /// so the tty sits in /sys/devices/virtual/tty and its path says nothing about the channel.
    public func addImxRpmsgTTY(dst: RpmsgAddress, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        let name = "ttyRPMSG\(dst.value)"
        try addCharacterRegion(name)
        return try addCharacterClassDevice(className: "tty", name: Array(name.utf8), parent: nil, region: name, node: node)
    }

    /// A class device with a device number: `dev`, a `uevent` with MAJOR, MINOR and DEVNAME, and its /dev node.
    func addCharacterClassDevice(className: String, name: [UInt8], parent: SysfsDevice?, region: String,
                                 node: NodeSpec) throws -> SysfsDevice {
        let path = try placeClassDevice(className: className, name: name, parent: parent)
        let number = allocateNumber(in: region)
        try tree.writeAttribute(path + "dev", number.description)
        try writeUevent(path, [Array("MAJOR=\(number.major)".utf8), Array("MINOR=\(number.minor)".utf8), Array("DEVNAME=".utf8) + name])
        try tree.makeNode(SysPath("/dev").appending(name), spec: node, number: number)
        return made(path, .classDevice)
    }

    /// Where the driver core puts a class device: right under a parent of a class, in a glue directory
    /// named after the class under any other parent, in /sys/devices/virtual without one. Then the
    /// `/sys/class/CLASS/NAME`, `subsystem` and `device` links.
    func placeClassDevice(className: String, name: [UInt8], parent: SysfsDevice?) throws -> SysPath {
        let path: SysPath
        switch parent {
        case .none: path = SysPath("/sys/devices/virtual/\(className)").appending(name)
        case .some(let parent) where parent.kind == .classDevice: path = parent.path.appending(name)
        case .some(let parent): path = (parent.path + className).appending(name)
        }
        try tree.makeDirectory(path)
        let classLink = SysPath("/sys/class/\(className)").appending(name)
        try tree.link(classLink, to: path)
        try tree.link(path + "subsystem", to: SysPath("/sys/class/\(className)"))
        if let parent { try tree.link(path + "device", to: parent.path) }
        return path
    }
}
