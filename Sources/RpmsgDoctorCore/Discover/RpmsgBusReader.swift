extension SystemReader {
    func channels() -> [Channel] {
        let busDir = SysPath("/sys/bus/rpmsg/devices")
        return entries(busDir).compactMap { entry in
            guard let resolved = resolve(busDir.appending(entry)) else { return nil }
            let deviceName = DisplayText.decode(entry)
            let ancestry = SysfsAncestry(resolvedPath: resolved, ownName: deviceName)
            // Parsed only when an attribute cannot be read or parsed: the kernel's attributes are the truth.
            lazy var fallback = ChannelDeviceName(deviceName)
            return Channel(
                deviceName: deviceName,
                name: attribute(resolved, "name") ?? fallback?.name ?? deviceName,
                src: attribute(resolved, "src").flatMap(RpmsgAddress.init(parsing:)) ?? fallback?.src,
                dst: attribute(resolved, "dst").flatMap(RpmsgAddress.init(parsing:)) ?? fallback?.dst,
                announce: optionalAttribute(resolved, "announce").map { $0 == "true" },
                driver: linkTarget(resolved, "driver"),
                driverOverride: optionalAttribute(resolved, "driver_override").flatMap { $0 == "(null)" || $0.isEmpty ? nil : $0 },
                virtio: ancestry.virtio,
                remoteProcessor: ancestry.remoteProcessor,
                sysfsPath: resolved.description
            )
        }
    }

    func busDrivers() -> [BusDriver] {
        let driversDir = SysPath("/sys/bus/rpmsg/drivers")
        return entries(driversDir).map { entry in
            let driverDir = driversDir.appending(entry)
            let bound = entries(driverDir).filter { name in
                if case .success(let status) = fs.status(driverDir.appending(name)), status.kind == .symlink {
                    return !["module", "subsystem"].contains(DisplayText.decode(name))
                }
                return false
            }
            return BusDriver(name: DisplayText.decode(entry), boundDevices: bound.map { DisplayText.decode($0) })
        }
    }
}

/// The parts of an rpmsg bus device name, "PARENT.NAME.SRC.DST", for when its attributes cannot be read.
struct ChannelDeviceName {
    var parent: String
    var name: String
    var src: RpmsgAddress?
    var dst: RpmsgAddress?

    init?(_ deviceName: String) {
        let parts = deviceName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return nil }
        parent = String(parts[0])
        name = parts[1..<(parts.count - 2)].joined(separator: ".")
        src = RpmsgAddress(parsing: String(parts[parts.count - 2]))
        dst = RpmsgAddress(parsing: String(parts[parts.count - 1]))
    }
}
