// Failure modes 1, 2 and 15: an endpoint made on the ctrl of one virtio device cannot reach a channel on another.

/// What the user named (`--ctrl`, `--dst`, `--service`): how to reach it, or why it cannot be reached.
struct IntentRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.route, .wrongControl, .notAnnounced, .noControlForVirtio, .unknownControl]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let index = context.index
        let intent = context.intent
        // --name is the endpoint's own name: the kernel never routes by it, so only --service finds a channel.
        let targets: [Channel]
        let targetText: String
        if let dst = intent.dst {
            targets = index.channels(matchingDst: dst)
            targetText = "address \(dst.hex)"
        } else if let service = intent.service {
            targets = index.channels(named: service)
            targetText = "service \"\(service)\""
        } else {
            return intent.control.flatMap { name in index.control(named: name) == nil ? [Self.unknownControl(name, index)] : [] } ?? []
        }
        guard !targets.isEmpty else { return [Self.notAnnounced(targetText, intent: intent, index)] }
        guard let controlName = intent.control else { return targets.map { Self.route(to: $0, index) } }
        guard let control = index.control(named: controlName) else { return [Self.unknownControl(controlName, index)] }
        if targets.contains(where: { $0.virtio == control.virtio }) { return [] }
        return [Self.wrongControl(control, targets: targets, targetText: targetText, index)]
    }

    private static func wrongControl(_ control: ControlDevice, targets: [Channel], targetText: String, _ index: TopologyIndex) -> Finding {
        let target = targets[0]
        let right = index.controls(on: target.virtio)
        var evidence = ["/sys/class/rpmsg/\(control.name) -> \(control.sysfsPath)", "\(control.node.path) belongs to \(control.virtio ?? "no virtio device")"]
        let onControlVirtio = index.announcedChannels(on: control.virtio)
        evidence.append(onControlVirtio.isEmpty
            ? "nothing on \(control.virtio ?? "it") announced \(targetText)"
            : "\(control.virtio ?? "it") has \(onControlVirtio.map(\.label).joined(separator: ", ")), none with \(targetText)")
        evidence += targets.map { "channel \($0.label): \($0.sysfsPath)" }
        evidence += right.map { "/sys/class/rpmsg/\($0.name) -> \($0.sysfsPath)" }
        return Finding(
            .wrongControl,
            "\(control.node.path) cannot reach \(targetText): it belongs to \(control.virtio ?? "no virtio device"), but \(target.label)",
            evidence: evidence,
            remedy: .wrongControl(used: control, right: right, rightList: index.controlList(on: target.virtio), target: target)
        )
    }

    static func notAnnounced(_ targetText: String, intent: Intent, _ index: TopologyIndex) -> Finding {
        let announced = index.announcedChannels
        var evidence = announced.isEmpty ? ["no channel is announced on any virtio device"] : announced.map { "announced: \($0.label)" }
        let withoutNameService = index.snapshot.virtioDevices.filter { $0.offersNameService == false }.map(\.name)
        if !withoutNameService.isEmpty {
            evidence.append("without the name service (cannot announce): \(withoutNameService.joined(separator: ", "))")
        }
        // A service is found only by its announcement; an address may belong to an endpoint the remote never announced.
        return Finding(
            .notAnnounced, severity: intent.dst == nil && intent.service != nil && withoutNameService.isEmpty ? .error : .warning,
            "Nothing on this system announced \(targetText)",
            evidence: evidence, remedy: .checkAnnouncement
        )
    }

    private static func unknownControl(_ name: String, _ index: TopologyIndex) -> Finding {
        Finding(
            .unknownControl, "\(name) is not an rpmsg control device on this system",
            evidence: index.snapshot.controlDevices.isEmpty
                ? ["/sys/class/rpmsg has no rpmsg_ctrl device"]
                : index.snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" },
            remedy: .nameAControl
        )
    }

    /// The ctrl of the channel's virtio device; without one, the devices a driver made for the channel itself;
    /// without those, nothing on this system can reach it, and what the user means to do cannot work.
    private static func route(to channel: Channel, _ index: TopologyIndex) -> Finding {
        let controls = index.controls(on: channel.virtio)
        let ownDevices = index.devicesBound(to: channel)
        if controls.isEmpty, !ownDevices.isEmpty {
            return Finding(
                .route, "\(channel.label) has no control device, but is reached through \(ownDevices.joined(separator: " or "))",
                evidence: ["channel: \(channel.sysfsPath)", "driver: \(channel.driver ?? "none")"] + ownDevices.map { "\($0): made by \(channel.driver ?? "its driver") for this channel" },
                remedy: .useChannelDevice(ownDevices[0])
            )
        }
        guard !controls.isEmpty else { return unreachable(channel, index) }
        return Finding(
            .route, "\(channel.label) is reached through \(index.controlList(on: channel.virtio))",
            evidence: ["channel: \(channel.sysfsPath)"] + controls.map { "/sys/class/rpmsg/\($0.name) -> \($0.sysfsPath)" },
            remedy: .route(controls: controls, dst: channel.dst)
        )
    }

    static func unreachable(_ channel: Channel, _ index: TopologyIndex) -> Finding {
        Finding(
            .noControlForVirtio, "Nothing on this system can reach \(channel.label): \(channel.virtio ?? "its virtio device") has no control device, and no driver made a device for the channel",
            evidence: [channel.sysfsPath, "driver: \(channel.driver ?? "none")"]
                + (index.snapshot.controlDevices.isEmpty ? ["no rpmsg control device at all"]
                    : index.snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" }),
            remedy: .controlOnChannelVirtio
        )
    }
}

/// An existing endpoint (made through a ctrl) whose dst nothing on its own virtio device announced, but another did.
struct EndpointOnWrongVirtioRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.endpointOnWrongVirtio]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.snapshot.endpointDevices.compactMap { finding($0, context.index) }
    }

    private func finding(_ endpoint: EndpointDevice, _ index: TopologyIndex) -> Finding? {
        guard endpoint.control != nil, let dst = endpoint.dst, !dst.isAny, let virtio = endpoint.virtio else { return nil }
        let elsewhere = index.channels(matchingDst: dst)
        guard let target = elsewhere.first, !elsewhere.contains(where: { $0.virtio == virtio }) else { return nil }
        return Finding(
            .endpointOnWrongVirtio,
            "\(endpoint.node.path) sends to \(dst.hex) through \(endpoint.control ?? "a ctrl") on \(virtio), but \(target.label)",
            evidence: [
                "/sys/class/rpmsg/\(endpoint.name) -> \(endpoint.sysfsPath)",
                "\(endpoint.name): name \"\(endpoint.endpointName ?? "?")\", src \(endpoint.src?.hex ?? "?"), dst \(dst.hex)",
                "channel \(target.label): \(target.sysfsPath)",
            ],
            remedy: .recreateEndpoint(endpoint, rightList: index.controlList(on: target.virtio), right: index.controls(on: target.virtio), dst: dst)
        )
    }
}

/// Tools that take the first virtio device or rpmsg_ctrl0 miss channels that live on another one (mode 2).
struct ControlNumberingRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.controlNumbering]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let index = context.index
        let virtios = context.snapshot.virtioDevices
        guard virtios.count > 1 else { return [] }
        let mapping = context.snapshot.controlDevices.map { "\($0.node.path) -> \($0.virtio ?? "no virtio device")" }
        let channelHomes = index.announcedChannels.map { "\($0.label) -> \(index.controlList(on: $0.virtio))" }
        return [Finding(
            .controlNumbering, "\(virtios.count) rpmsg virtio devices: pick the control device by the channel's virtio device, not by number",
            evidence: mapping + channelHomes, remedy: .pickControlByVirtio
        )]
    }
}
