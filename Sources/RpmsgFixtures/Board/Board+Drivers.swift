import RpmsgDoctorCore

extension Board {
    /// A driver directory `/sys/bus/BUS/drivers/NAME` with its `bind` and `unbind` files; nothing if it exists.
    public func registerDriver(_ name: String, bus: String = "rpmsg") throws {
        let directory = Self.driverDirectory(name, bus: bus)
        guard !tree.exists(directory) else { return }
        try tree.makeDirectory(directory)
        for file in ["bind", "unbind", "uevent"] {
            try tree.write(directory + file, bytes: [])
            try tree.setMode(directory + file, 0o200)
        }
    }

    /// The device's `driver` link and the driver's link back to the device, as binding leaves them.
    func bind(_ device: SysPath, toDriver driver: String, bus: String) throws {
        try registerDriver(driver, bus: bus)
        let directory = Self.driverDirectory(driver, bus: bus)
        try tree.link(device + "driver", to: directory)
        try tree.link(directory.appending(device.lastComponent), to: device)
    }

    /// The `subsystem` link and the bus's `devices/NAME` link of a device on a bus.
    func attachToBus(_ device: SysPath, bus: String) throws {
        try tree.link(device + "subsystem", to: SysPath("/sys/bus/\(bus)"))
        try tree.link(SysPath("/sys/bus/\(bus)/devices").appending(device.lastComponent), to: device)
    }

    func writeUevent(_ directory: SysPath, _ lines: [[UInt8]]) throws {
        try tree.write(directory + "uevent", bytes: lines.flatMap { $0 + [0x0A] })
    }

    static func driverDirectory(_ name: String, bus: String) -> SysPath {
        SysPath("/sys/bus/\(bus)/drivers/\(name)")
    }
}
