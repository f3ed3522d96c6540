/// The tree of remote cores, virtio devices, control devices, channels, endpoints and ttys, one line each,
/// dense and grep-friendly in the style of gpioinfo.
struct InventoryText {
    let snapshot: Snapshot
    let style: Style
    private let controlsByVirtio: [String: [ControlDevice]]
    private let channelsByVirtio: [String: [Channel]]
    private let endpointsByChannel: [String: [EndpointDevice]]
    private let endpointsByVirtio: [String: [EndpointDevice]]
    private let ttysByChannel: [String: [RpmsgTTY]]

    /// Groups everything once, so that the listing stays linear in the number of devices.
    init(snapshot: Snapshot, style: Style) {
        self.snapshot = snapshot
        self.style = style
        controlsByVirtio = Dictionary(grouping: snapshot.controlDevices, by: { $0.virtio ?? "" })
        channelsByVirtio = Dictionary(grouping: snapshot.channels.filter { $0.role != .control }, by: { $0.virtio ?? "" })
        endpointsByChannel = Dictionary(grouping: snapshot.endpointDevices, by: { $0.hostChannel ?? "" })
        endpointsByVirtio = Dictionary(grouping: snapshot.endpointDevices.filter { $0.control != nil }, by: { $0.virtio ?? "" })
        ttysByChannel = Dictionary(grouping: snapshot.ttys, by: { $0.hostChannel ?? "" })
    }

    func lines() -> [SafeText] {
        var lines: [SafeText] = []
        let groups = Dictionary(grouping: snapshot.virtioDevices, by: { $0.remoteProcessor ?? $0.transportParent ?? "" })
        for remote in snapshot.remoteProcessors {
            lines.append(style.bold("\(remote.name)") + "  " + fields([
                ("device", remote.platformDevice), ("name", remote.processorName), ("state", remote.state), ("firmware", remote.firmware), ("recovery", remote.recovery),
            ]))
            lines += resourceTableLines(remote.resourceTable)
            for virtio in groups[remote.name] ?? [] { lines += virtioLines(virtio) }
        }
        let remoteNames = Set(snapshot.remoteProcessors.map(\.name))
        for (parent, virtios) in groups.sorted(by: { $0.key < $1.key }) where !remoteNames.contains(parent) {
            let transport = virtios.first
            lines.append(style.bold(parent.isEmpty ? "(no parent)" : "\(parent)") + "  " + fields([
                ("remoteproc", "none"), ("driver", transport?.transportDriver), ("compatible", transport?.transportCompatible.first),
            ]))
            for virtio in virtios { lines += virtioLines(virtio) }
        }
        for node in snapshot.deviceTree where node.driver == nil && !groups.keys.contains(node.platformDeviceName ?? "") {
            guard let device = node.platformDeviceName else { continue }
            lines.append(style.bold("\(device)") + "  " + fields([
                ("remoteproc", "none"), ("driver", "none"), ("compatible", node.compatible.first), ("node", node.path),
            ]))
        }
        let placed = Set(snapshot.virtioDevices.map(\.name))
        let orphans = snapshot.controlDevices.filter { !placed.contains($0.virtio ?? "") }
        if !orphans.isEmpty {
            lines.append(style.bold("(no virtio device)"))
            lines += orphans.map { "  " + controlLine($0) }
        }
        if lines.isEmpty { lines.append("no rpmsg devices found") }
        if snapshot.system.kernelConfig == nil {
            lines.append("kernel config not read: \(snapshot.system.kernelConfigNotRead ?? "not in this snapshot")")
        }
        return lines
    }

    /// One line per vdev of the table debugfs showed, or why there is none to show.
    private func resourceTableLines(_ table: ResourceTable?) -> [SafeText] {
        guard let table else { return [] }
        guard table.readable else { return ["  rsc-table not read: \(table.reason ?? "unknown reason")"] }
        guard table.found != false else { return ["  rsc-table none: No resource table found"] }
        return table.vdevs.map(resourceTableLine)
    }

    private func resourceTableLine(_ vdev: VdevResource) -> SafeText {
        let buffers: [String] = vdev.vrings.map { vring in vring.buffers.map(String.init) ?? "?" }
        let status: String? = vdev.status.map { $0.hexText + "(" + VirtioStatus.names($0) + ")" }
        return "  rsc-vdev  " + fields([
            ("entry", String(vdev.entry)), ("id", vdev.id.map(String.init)), ("features", vdev.deviceFeatures?.hexText),
            ("ns", vdev.offersNameService.map { $0 ? "yes" : "no" }), ("status", status), ("buffers", buffers.joined(separator: ",")),
        ])
    }

    private func virtioLines(_ virtio: VirtioDevice) -> [SafeText] {
        let ns: String? = virtio.offersNameService.map { $0 ? "yes" : "no" }
        var lines: [SafeText] = ["  " + style.bold("\(virtio.name)") + "  " + fields([("ns", ns), ("driver", virtio.driver ?? "none"), ("via", virtio.transportParent)])]
        lines += (controlsByVirtio[virtio.name] ?? []).map { "    " + controlLine($0) }
        for channel in channelsByVirtio[virtio.name] ?? [] {
            lines.append("    " + channelLine(channel))
            lines += (endpointsByChannel[channel.deviceName] ?? []).map { "      " + endpointLine($0) }
            lines += (ttysByChannel[channel.deviceName] ?? []).map { "      tty       " + nodeText($0.node) }
        }
        lines += (endpointsByVirtio[virtio.name] ?? []).map { "    " + endpointLine($0) }
        return lines
    }

    private func controlLine(_ control: ControlDevice) -> SafeText {
        "ctrl      " + nodeText(control.node) + "  " + fields([("dev", control.devNumber), ("host", control.hostChannel)])
    }

    private func channelLine(_ channel: Channel) -> SafeText {
        let kind: SafeText = channel.role == .nameService ? "ns        " : "channel   "
        return kind + "\"\(channel.name)\"  " + fields([
            ("src", channel.src?.hex), ("dst", channel.dst?.hex), ("driver", channel.driver ?? "none"), ("override", channel.driverOverride),
        ])
    }

    private func endpointLine(_ endpoint: EndpointDevice) -> SafeText {
        "endpoint  " + nodeText(endpoint.node) + "  " + fields([
            ("name", endpoint.endpointName.map { "\"\($0)\"" }), ("src", endpoint.src?.hex), ("dst", endpoint.dst?.hex),
            ("via", endpoint.control), ("held-by", endpoint.holders.isEmpty ? nil : endpoint.holders.map { "\($0.pid)" }.joined(separator: ",")),
        ])
    }

    private func nodeText(_ node: DeviceNode) -> SafeText {
        switch node.state {
        case .present:
            return "\(node.path)  \(node.ownershipText)"
        case .missing: return "\(node.path)  (no node)"
        case .notCharacterDevice: return "\(node.path)  (not a character device)"
        case .unreadable: return "\(node.path)  (\(node.error ?? "unreadable"))"
        }
    }

    private func fields(_ pairs: [(String, String?)]) -> SafeText {
        pairs.compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: " ")
    }
}
