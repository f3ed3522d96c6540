extension SystemReader {
    /// The /dev node of a class device, named by DEVNAME in its uevent (the kernel's choice), else by the device name.
    func deviceNode(sysfsDevice: SysPath, name: String, owners: AccountNames) -> DeviceNode {
        let devName = optionalAttribute(sysfsDevice, "uevent")
            .flatMap { uevent in uevent.split(separator: "\n").first(where: { $0.hasPrefix("DEVNAME=") }) }
            .map { String($0.dropFirst("DEVNAME=".count)) }
        let path = SysPath("/dev") + (devName ?? name)
        switch fs.status(path, followLinks: true) {
        case .failure(.missing):
            return DeviceNode(path: path.description, state: .missing)
        case .failure(let error):
            note(path, error)
            return DeviceNode(path: path.description, state: .unreadable, error: error.description)
        case .success(let status):
            return DeviceNode(
                path: path.description,
                state: status.kind == .characterDevice ? .present : .notCharacterDevice,
                devNumber: status.kind == .characterDevice ? "\(status.major):\(status.minor)" : nil,
                uid: status.uid, gid: status.gid,
                owner: owners.users[status.uid], group: owners.groups[status.gid],
                mode: status.mode
            )
        }
    }
}
