/// Where the probe sends: resolved against the snapshot so that a service name finds its own virtio device's ctrl.
struct ProbeTarget {
    var description: String
    var controlPath: String?
    var endpointPath: String?
    var dst: RpmsgAddress?
    var channel: Channel?
    var endpointName: String

    /// Why there is nothing to probe, as the finding that explains it.
    struct NotFound: Error {
        var finding: Finding
    }

    static func resolve(_ options: ProbeOptions, in snapshot: Snapshot) throws(NotFound) -> ProbeTarget {
        let index = TopologyIndex(snapshot: snapshot)
        switch options.target {
        case .service(let name):
            guard let channel = index.channels(named: name).first(where: { !index.controls(on: $0.virtio).isEmpty }) ?? index.channels(named: name).first else {
                throw NotFound(finding: IntentRule.notAnnounced("service \"\(name)\"", intent: Intent(service: name), index))
            }
            guard let control = index.controls(on: channel.virtio).first else {
                throw NotFound(finding: Finding(
                    .noControlForVirtio, "No control device on \(channel.virtio ?? "the virtio device") for channel \"\(channel.name)\"",
                    evidence: [channel.sysfsPath] + snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" },
                    remedy: .controlOnChannelVirtio
                ))
            }
            return ProbeTarget(description: "service \(channel.label)", controlPath: control.node.path, dst: channel.dst, channel: channel,
                               endpointName: options.name ?? name)
        case .control(let path, let dst):
            let virtio = index.control(named: path)?.virtio
            let channel = index.channels(matchingDst: dst).first { $0.virtio == virtio } ?? index.channels(matchingDst: dst).first
            return ProbeTarget(description: "\(path) -> dst \(dst.hex)", controlPath: path, dst: dst, channel: channel,
                               endpointName: options.name ?? channel?.name ?? ProbeOptions.defaultEndpointName)
        case .device(let path):
            let endpoint = snapshot.endpointDevices.first { $0.node.path == path }
            return ProbeTarget(description: "endpoint \(path)", endpointPath: path, dst: endpoint?.dst,
                               channel: snapshot.channels.first { $0.deviceName == endpoint?.hostChannel },
                               endpointName: endpoint?.endpointName ?? "")
        }
    }
}
