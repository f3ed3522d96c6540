#if canImport(Glibc)
import Glibc
#endif

/// Where the probe sends: resolved against the snapshot so that a service name finds its own virtio device's ctrl.
struct ProbeTarget {
    var description: String
    var controlPath: String?
    var endpointPath: String?
    var dst: RpmsgAddress?
    var channel: Channel?
    var endpointName: String
    /// The target is an rpmsg tty: messages go through it, as a byte stream.
    var tty: RpmsgTTY? = nil
    /// For a ctrl or an endpoint device: the tty a driver made for the same channel, to compare with when no answer comes.
    var comparisonTTY: RpmsgTTY? = nil

    /// The drivers that make a tty of a channel: mainline's rpmsg_tty ("rpmsg-tty"), NXP's imx_rpmsg_tty.
    static let ttyDrivers: Set<String> = ["rpmsg_tty", "imx_rpmsg_tty"]

    /// The tty made for `channel`, if its node is there.
    static func tty(of channel: Channel?, in snapshot: Snapshot) -> RpmsgTTY? {
        guard let channel else { return nil }
        return snapshot.ttys.first { $0.hostChannel == channel.deviceName && $0.node.state != .missing }
    }

    /// Why there is nothing to probe, as the finding that explains it.
    struct NotFound: Error {
        var finding: Finding
    }

    /// An rpmsg tty the scan did not list (its node elsewhere, or it came since), by the name of the node the path
    /// leads to: any other tty (a serial console, /dev/tty) is never put in raw mode and sent probe frames.
    private static func unlistedTTY(_ path: String, leadingTo real: String) -> RpmsgTTY? {
        let name = AtomicFile.lastComponent(of: real)
        guard KernelNames.isRpmsgTTY(name) else { return nil }
        return RpmsgTTY(name: name, sysfsPath: "/sys/class/tty/\(name)", node: DeviceNode(path: path, state: .missing))
    }

    static func resolve(_ options: ProbeOptions, in snapshot: Snapshot) throws(NotFound) -> ProbeTarget {
        let index = TopologyIndex(snapshot: snapshot)
        switch options.target {
        case .service(let name):
            // A channel bound to a tty driver is reached through its tty, as its applications do.
            if let channel = index.channels(named: name).first(where: { ttyDrivers.contains($0.driver ?? "") && tty(of: $0, in: snapshot) != nil }),
               let tty = tty(of: channel, in: snapshot) {
                return ProbeTarget(description: "service \(channel.label) through \(tty.node.path)", dst: channel.dst, channel: channel,
                                   endpointName: name, tty: tty)
            }
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
                               endpointName: options.name ?? channel?.name ?? ProbeOptions.defaultEndpointName,
                               comparisonTTY: tty(of: channel, in: snapshot))
        case .device(let path):
            // A udev link (/dev/rpmsg/by-name/NAME) names the device it leads to.
            let real = realpath(path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) } ?? path
            if let tty = snapshot.ttys.first(where: { $0.node.path == path }) ?? Self.unlistedTTY(path, leadingTo: real) {
                let channel = snapshot.channels.first { $0.deviceName == tty.hostChannel }
                return ProbeTarget(description: "tty \(path)", dst: channel?.dst, channel: channel, endpointName: channel?.name ?? "", tty: tty)
            }
            let endpoint = snapshot.endpointDevices.first { $0.node.path == path }
            // Anything but an rpmsg endpoint (/dev/null answers every read with EOF) is refused before it is opened.
            guard endpoint != nil || KernelNames.isNumbered(AtomicFile.lastComponent(of: real), prefix: "rpmsg") else {
                throw NotFound(finding: Finding(
                    .unknownControl, "\(path) is not an rpmsg endpoint device or rpmsg tty: the probe talks only to those",
                    evidence: ["\(path): not among the endpoint devices (/sys/class/rpmsg/rpmsgN) or rpmsg ttys on this system"]
                        + snapshot.endpointDevices.map { "endpoint: \($0.node.path)" } + snapshot.ttys.map { "tty: \($0.node.path)" },
                    remedy: .nameAnRpmsgDevice
                ))
            }
            let channel = snapshot.channels.first { $0.deviceName == endpoint?.hostChannel }
            // The channel an endpoint made through a ctrl sends to: its address on its virtio device.
            let addressed = endpoint.flatMap { endpoint in endpoint.dst.flatMap { dst in index.channels(matchingDst: dst).first { $0.virtio == endpoint.virtio } } }
            return ProbeTarget(description: "endpoint \(path)", endpointPath: path, dst: endpoint?.dst, channel: channel,
                               endpointName: endpoint?.endpointName ?? "", comparisonTTY: tty(of: channel ?? addressed, in: snapshot))
        }
    }
}
