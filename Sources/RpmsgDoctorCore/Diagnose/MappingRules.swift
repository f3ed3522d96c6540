/// Failure modes 1, 2 and 15: an endpoint made on the ctrl of one virtio device cannot reach a channel on another.
enum MappingRules {
    static func findings(_ index: TopologyIndex, intent: Intent) -> [Finding] {
        var findings = intentFindings(index, intent: intent)
        findings += index.snapshot.endpointDevices.compactMap { endpointOnWrongVirtio($0, index) }
        if let numbering = controlNumbering(index) { findings.append(numbering) }
        return findings
    }

    private static func intentFindings(_ index: TopologyIndex, intent: Intent) -> [Finding] {
        // --name is the endpoint's own name: the kernel never routes by it, so only --service finds a channel.
        let wantedName = intent.service
        let targets: [Channel]
        let targetText: String
        if let dst = intent.dst {
            targets = index.channels(matchingDst: dst)
            targetText = "address \(dst.hex)"
        } else if let wantedName {
            targets = index.channels(named: wantedName)
            targetText = "service \"\(wantedName)\""
        } else {
            targets = []
            targetText = ""
        }
        guard intent.dst != nil || wantedName != nil else {
            return intent.control.flatMap { name in index.control(named: name) == nil ? [unknownControl(name, index)] : [] } ?? []
        }
        guard !targets.isEmpty else { return [notAnnounced(targetText, intent: intent, index)] }
        guard let controlName = intent.control else { return targets.map { route(to: $0, index) } }
        guard let control = index.control(named: controlName) else { return [unknownControl(controlName, index)] }
        if targets.contains(where: { $0.virtio == control.virtio }) { return [] }
        return [wrongControl(control, targets: targets, targetText: targetText, index)]
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
        let dst = target.dst.map { " --dst \($0.hex)" } ?? ""
        return Finding(
            .wrongControl, .error,
            "\(control.node.path) cannot reach \(targetText): it belongs to \(control.virtio ?? "no virtio device"), but \(target.label)",
            evidence: evidence,
            fix: right.isEmpty
                ? "\(target.virtio ?? "that virtio device") has no control device; see \(FindingCode.noControlForVirtio.page)."
                : "Create the endpoint through \(index.controlList(on: target.virtio)): the ctrl of the virtio device that carries the channel. An endpoint made through \(control.node.path) sends to the remote side of \(control.virtio ?? "another virtio device"), which drops the messages; writes succeed until its TX buffers run out.",
            commands: right.prefix(1).map { "rpmsg-doctor scan --ctrl \($0.node.path)\(dst)" }
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
            .notAnnounced, intent.dst == nil && intent.service != nil && withoutNameService.isEmpty ? .error : .warning,
            "Nothing on this system announced \(targetText)",
            evidence: evidence,
            fix: "Check the name and address the firmware announces (they must match exactly, up to 32 bytes) and that the remote has booted and announced; a remote without the name service needs its address agreed in advance.",
            commands: ["rpmsg-doctor scan"]
        )
    }

    private static func unknownControl(_ name: String, _ index: TopologyIndex) -> Finding {
        Finding(
            .unknownControl, .error, "\(name) is not an rpmsg control device on this system",
            evidence: index.snapshot.controlDevices.isEmpty
                ? ["/sys/class/rpmsg has no rpmsg_ctrl device"]
                : index.snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" },
            fix: "Name one of the control devices listed, or see \(FindingCode.noControlDevices.page) if there are none."
        )
    }

    private static func route(to channel: Channel, _ index: TopologyIndex) -> Finding {
        let controls = index.controls(on: channel.virtio)
        return Finding(
            .route, .info,
            "\(channel.label) is reached through \(index.controlList(on: channel.virtio))",
            evidence: ["channel: \(channel.sysfsPath)"] + controls.map { "/sys/class/rpmsg/\($0.name) -> \($0.sysfsPath)" },
            fix: controls.isEmpty
                ? "Its virtio device has no control device: see \(FindingCode.noControlDevices.page)."
                : "Create your endpoint on that control device with dst \(channel.dst?.hex ?? "of the channel").",
            commands: controls.prefix(1).map { "rpmsg-doctor scan --ctrl \($0.node.path) --dst \(channel.dst?.hex ?? "ANY")" }
        )
    }

    /// An existing endpoint (made through a ctrl) whose dst nothing on its own virtio device announced, but another did.
    private static func endpointOnWrongVirtio(_ endpoint: EndpointDevice, _ index: TopologyIndex) -> Finding? {
        guard endpoint.control != nil, let dst = endpoint.dst, !dst.isAny, let virtio = endpoint.virtio else { return nil }
        let elsewhere = index.channels(matchingDst: dst)
        guard !elsewhere.isEmpty, !elsewhere.contains(where: { $0.virtio == virtio }) else { return nil }
        let target = elsewhere[0]
        return Finding(
            .endpointOnWrongVirtio, .error,
            "\(endpoint.node.path) sends to \(dst.hex) through \(endpoint.control ?? "a ctrl") on \(virtio), but \(target.label)",
            evidence: [
                "/sys/class/rpmsg/\(endpoint.name) -> \(endpoint.sysfsPath)",
                "\(endpoint.name): name \"\(endpoint.endpointName ?? "?")\", src \(endpoint.src?.hex ?? "?"), dst \(dst.hex)",
                "channel \(target.label): \(target.sysfsPath)",
            ],
            fix: "Destroy this endpoint and create it through \(index.controlList(on: target.virtio)); messages written to \(endpoint.node.path) are dropped.",
            commands: index.controls(on: target.virtio).prefix(1).map { "rpmsg-doctor scan --ctrl \($0.node.path) --dst \(dst.hex)" }
        )
    }

    /// Tools that take the first virtio device or rpmsg_ctrl0 miss channels that live on another one (mode 2).
    private static func controlNumbering(_ index: TopologyIndex) -> Finding? {
        let virtios = index.snapshot.virtioDevices
        guard virtios.count > 1 else { return nil }
        let mapping = index.snapshot.controlDevices.map { "\($0.node.path) -> \($0.virtio ?? "no virtio device")" }
        let channelHomes = index.announcedChannels.map { "\($0.label) -> \(index.controlList(on: $0.virtio))" }
        return Finding(
            .controlNumbering, .info,
            "\(virtios.count) rpmsg virtio devices: pick the control device by the channel's virtio device, not by number",
            evidence: mapping + channelHomes,
            fix: "Reference tools that hard-code virtio0 or rpmsg_ctrl0 reach only the first virtio device; use the control device listed for your channel."
        )
    }
}
