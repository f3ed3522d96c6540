/// Lookups over a snapshot that several rules need: which ctrl serves which virtio device, which channel has an address.
struct TopologyIndex {
    let snapshot: Snapshot

    var announcedChannels: [Channel] { snapshot.channels.filter { $0.role == .announced } }

    func controls(on virtio: String?) -> [ControlDevice] {
        guard let virtio else { return [] }
        return snapshot.controlDevices.filter { $0.virtio == virtio }
    }

    func announcedChannels(on virtio: String?) -> [Channel] {
        announcedChannels.filter { $0.virtio == virtio }
    }

    func channels(matchingDst dst: RpmsgAddress) -> [Channel] {
        announcedChannels.filter { $0.dst == dst }
    }

    func channels(named name: String) -> [Channel] {
        announcedChannels.filter { $0.name == name }
    }

    func virtio(named name: String?) -> VirtioDevice? {
        snapshot.virtioDevices.first { $0.name == name }
    }

    /// A ctrl named by the user as "/dev/rpmsg_ctrl0" or "rpmsg_ctrl0".
    func control(named name: String) -> ControlDevice? {
        snapshot.controlDevices.first { $0.node.path == name || $0.name == name || "/dev/" + $0.name == name }
    }

    /// "/dev/rpmsg_ctrl1" or "/dev/rpmsg_ctrl1 or /dev/rpmsg_ctrl2": the ctrls that reach a virtio device.
    func controlList(on virtio: String?) -> String {
        let nodes = controls(on: virtio).map(\.node.path)
        return nodes.isEmpty ? "the control device of \(virtio ?? "its virtio device") (there is none)" : nodes.joined(separator: " or ")
    }

    /// A sysfs link as the user could check it: `/sys/class/rpmsg/rpmsg_ctrl0 -> /sys/devices/...`.
    static func evidence(classLink: String, _ resolved: String) -> String {
        "\(classLink) -> \(resolved)"
    }
}

extension Channel {
    /// "rpmsg-openamp-demo-channel (dst 0x1e) on virtio1".
    var label: String {
        var text = "\"\(name)\""
        if let dst { text += " (dst \(dst.hex))" }
        if let virtio { text += " on \(virtio)" }
        return text
    }
}
