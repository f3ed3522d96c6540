/// Lookups over a snapshot that several rules need: which ctrl serves which virtio device, which channel has an address.
struct TopologyIndex {
    let snapshot: Snapshot
    let announcedChannels: [Channel]
    private let channelsByDst: [RpmsgAddress: [Channel]]
    private let channelsByVirtio: [String: [Channel]]
    private let controlsByVirtio: [String: [ControlDevice]]
    private let endpointsByChannel: [String: [EndpointDevice]]
    private let ttysByChannel: [String: [RpmsgTTY]]

    /// Builds the lookups once: rules ask them for every endpoint and channel, which must stay linear.
    init(snapshot: Snapshot) {
        self.snapshot = snapshot
        announcedChannels = snapshot.channels.filter { $0.role == .announced }
        channelsByDst = Dictionary(grouping: announcedChannels.filter { $0.dst != nil }, by: { $0.dst! })
        channelsByVirtio = Dictionary(grouping: announcedChannels.filter { $0.virtio != nil }, by: { $0.virtio! })
        controlsByVirtio = Dictionary(grouping: snapshot.controlDevices.filter { $0.virtio != nil }, by: { $0.virtio! })
        endpointsByChannel = Dictionary(grouping: snapshot.endpointDevices.filter { $0.hostChannel != nil && $0.control == nil }, by: { $0.hostChannel! })
        ttysByChannel = Dictionary(grouping: snapshot.ttys.filter { $0.hostChannel != nil }, by: { $0.hostChannel! })
    }

    func controls(on virtio: String?) -> [ControlDevice] {
        virtio.flatMap { controlsByVirtio[$0] } ?? []
    }

    func announcedChannels(on virtio: String?) -> [Channel] {
        virtio.flatMap { channelsByVirtio[$0] } ?? []
    }

    func channels(matchingDst dst: RpmsgAddress) -> [Channel] {
        channelsByDst[dst] ?? []
    }

    /// Endpoint devices (rpmsg-raw, TI's rpmsg_chrdev) and ttys a driver made for the channel itself.
    func devicesBound(to channel: Channel) -> [String] {
        (endpointsByChannel[channel.deviceName] ?? []).map(\.node.path) + (ttysByChannel[channel.deviceName] ?? []).map(\.node.path)
    }

    func channels(named name: String) -> [Channel] {
        announcedChannels.filter { $0.name == name }
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
