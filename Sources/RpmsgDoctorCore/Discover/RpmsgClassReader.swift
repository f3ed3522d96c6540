extension SystemReader {
    struct ClassDevices {
        var controls: [ControlDevice] = []
        var endpoints: [EndpointDevice] = []
    }

    func classDevices(owners: AccountNames) -> ClassDevices {
        let classDir = SysPath("/sys/class/rpmsg")
        var devices = ClassDevices()
        for entry in entries(classDir) {
            let name = DisplayText.decode(entry)
            guard let resolved = resolve(classDir.appending(entry)) else { continue }
            let ancestry = SysfsAncestry(resolvedPath: resolved, ownName: name)
            let devNumber = optionalAttribute(resolved, "dev")
            let node = deviceNode(sysfsDevice: resolved, name: name, owners: owners)
            if SysfsAncestry.isNumbered(entry[...], prefix: "rpmsg_ctrl") { // KernelNames.isNumbered(name, ...), on the bytes
                devices.controls.append(ControlDevice(
                    name: name, sysfsPath: resolved.description, devNumber: devNumber, virtio: ancestry.virtio,
                    remoteProcessor: ancestry.remoteProcessor, hostChannel: ancestry.hostChannel, node: node
                ))
            } else {
                let control = ancestry.control
                devices.endpoints.append(EndpointDevice(
                    name: name, sysfsPath: resolved.description, devNumber: devNumber,
                    endpointName: optionalAttribute(resolved, "name"),
                    src: optionalAttribute(resolved, "src").flatMap(RpmsgAddress.init(parsing:)),
                    dst: optionalAttribute(resolved, "dst").flatMap(RpmsgAddress.init(parsing:)),
                    virtio: ancestry.virtio, remoteProcessor: ancestry.remoteProcessor,
                    control: control, hostChannel: control == nil ? ancestry.hostChannel : nil,
                    node: node
                ))
            }
        }
        return devices
    }

    func rpmsgTTYs(owners: AccountNames) -> [RpmsgTTY] {
        let classDir = SysPath("/sys/class/tty")
        return entries(classDir).compactMap { entry in
            let name = DisplayText.decode(entry)
            guard KernelNames.isRpmsgTTY(name), let resolved = resolve(classDir.appending(entry)) else { return nil }
            let ancestry = SysfsAncestry(resolvedPath: resolved, ownName: name)
            return RpmsgTTY(
                name: name, sysfsPath: resolved.description, devNumber: optionalAttribute(resolved, "dev"),
                hostChannel: ancestry.hostChannel, virtio: ancestry.virtio,
                node: deviceNode(sysfsDevice: resolved, name: name, owners: owners)
            )
        }
    }
}
