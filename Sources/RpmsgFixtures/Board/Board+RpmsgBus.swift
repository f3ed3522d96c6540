import RpmsgDoctorCore

extension Board {
    /// A channel the remote announced (or a driver created): `virtioK.NAME.SRC.DST` on the rpmsg bus, bound to
    /// `driver` when given. Names may hold any bytes, as the name service copies them unchecked; the kernel keeps
    /// up to 31 of them, stops at a NUL, and shows '/' as '!' in the device name.
    /// `localAddress` is the address of the endpoint a driver with a receive callback got when it bound: the
    /// bus `src` attribute then shows it, while the device name keeps the announced -1.
    public func addChannel(on virtio: SysfsDevice, name: [UInt8], src: RpmsgAddress = .any, dst: RpmsgAddress,
                           driver: String? = nil, driverOverride: String? = nil, localAddress: RpmsgAddress? = nil) throws -> SysfsDevice {
        // The kernel asks a channel to be announced back only when it was created with a local address.
        try addBusDevice(on: virtio, name: name, src: src, dst: dst, announce: !src.isAny, driver: driver,
                         driverOverride: driverOverride, localAddress: localAddress)
    }

    public func addChannel(on virtio: SysfsDevice, name: String, src: RpmsgAddress = .any, dst: RpmsgAddress,
                           driver: String? = nil, driverOverride: String? = nil, localAddress: RpmsgAddress? = nil) throws -> SysfsDevice {
        try addChannel(on: virtio, name: Array(name.utf8), src: src, dst: dst, driver: driver, driverOverride: driverOverride,
                       localAddress: localAddress)
    }

    /// The ctrl device virtio_rpmsg_bus makes for each virtio device on 5.13+: `virtioK.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrlN`
    /// (`rpmsg_chrdev` before 5.18). `index` picks N; by default ctrls are numbered in the order they are added.
    public func addControl(on virtio: SysfsDevice, index: Int? = nil, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        guard case .virtioDevice(let hostName) = kernel.controlHost else {
            throw FixtureError("kernel \(kernel.release) makes no ctrl per virtio device; bind a channel and use addControl(hostedBy:)", virtio.path, code: 0)
        }
        let host = try addBusDevice(on: virtio, name: Array(hostName.utf8), src: RpmsgAddress(0), dst: RpmsgAddress(0), driver: hostName)
        return try addControl(hostedBy: host, index: index, node: node)
    }

    /// A ctrl device `HOST/rpmsg/rpmsg_ctrlN` under a bus device its driver bound: the `rpmsg_ctrl`/`rpmsg_chrdev`
    /// device of a virtio, or a channel bound to rpmsg_chrdev (TI 5.10, driver_override before 5.13).
    public func addControl(hostedBy host: SysfsDevice, index: Int? = nil, node: NodeSpec = .rootOnly) throws -> SysfsDevice {
        let number = index ?? controlCount
        controlCount = max(controlCount, number + 1)
        return try addCharacterClassDevice(className: "rpmsg", name: Array("rpmsg_ctrl\(number)".utf8), parent: host,
                                           region: controlRegion, node: node)
    }

    /// Any rpmsg bus device, with the attributes of sysfs-bus-rpmsg: bus addresses print as `0x%x`,
    /// the device name's as `%d` (so ANY is -1 there and 0xffffffff in `src`).
    func addBusDevice(on virtio: SysfsDevice, name: [UInt8], src: RpmsgAddress, dst: RpmsgAddress, announce: Bool = false,
                      driver: String?, driverOverride: String? = nil, localAddress: RpmsgAddress? = nil) throws -> SysfsDevice {
        let name = Self.kernelName(name)
        // The driver core writes '/' in a device name as '!'; the `name` attribute keeps it.
        let dirName = name.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: "!") : $0 }
        let deviceName = virtio.name + [UInt8(ascii: ".")] + dirName + Array(".\(Self.signed(src)).\(Self.signed(dst))".utf8)
        let path = virtio.path.appending(deviceName)
        try tree.makeDirectory(path)
        let modalias = Array("rpmsg:".utf8) + name
        try tree.writeAttribute(path + "name", bytes: name)
        try tree.writeAttribute(path + "src", "0x" + String((localAddress ?? src).value, radix: 16))
        try tree.writeAttribute(path + "dst", "0x" + String(dst.value, radix: 16))
        try tree.writeAttribute(path + "announce", announce ? "true" : "false")
        try tree.writeAttribute(path + "driver_override", driverOverride ?? "(null)")
        try tree.writeAttribute(path + "modalias", bytes: modalias)
        try writeUevent(path, (driver.map { [Array("DRIVER=\($0)".utf8)] } ?? []) + [Array("MODALIAS=".utf8) + modalias])
        try attachToBus(path, bus: "rpmsg")
        if let driver { try bind(path, toDriver: driver, bus: "rpmsg") }
        return made(path, .rpmsgBusDevice)
    }

    /// A name as the kernel keeps it after copying it into `char name[RPMSG_NAME_SIZE]` and terminating it:
    /// up to the first NUL, at most 31 bytes.
    static func kernelName(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(while: { $0 != 0 }).prefix(31))
    }

    /// How the kernel prints a u32 address with %d.
    static func signed(_ address: RpmsgAddress) -> Int32 { Int32(bitPattern: address.value) }
}
