// Failure modes 7, 9, 10, 11 and 22: the remote core is not up, or never set up rpmsg.

struct RemoteNotRunningRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.remoteNotRunning]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.snapshot.remoteProcessors.compactMap { remote in
            guard let state = remote.state, !remote.isUp else { return nil }
            let crashed = state == "crashed"
            return Finding(
                .remoteNotRunning, severity: crashed ? .error : .warning,
                "\(remote.label) is \(state)" + (crashed ? ": its endpoints are gone or stalled until it is recovered" : ""),
                evidence: ["\(remote.sysfsPath)/state: \(state)", "firmware: \(remote.firmware ?? "?")", "recovery: \(remote.recovery ?? "?")"]
                    + (context.log.matches("crash", "recover") ?? []),
                remedy: .startRemote(remote, crashed: crashed)
            )
        }
    }
}

struct RpmsgNodeDisabledRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.rpmsgNodeDisabled]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        guard snapshot.virtioDevices.isEmpty else { return [] }
        let disabled = snapshot.deviceTree.filter { node in !node.isEnabled && node.isRpmsgTransport }
        // With the node enabled, the driver failed for another reason, which the kernel log rules name.
        let enabledTransport = snapshot.deviceTree.contains { $0.isEnabled && $0.isRpmsgTransport }
        let registeredOnly = enabledTransport ? nil : context.log.matches("imx rpmsg driver is registered")
        guard !disabled.isEmpty || registeredOnly != nil else { return [] }
        return [Finding(
            .rpmsgNodeDisabled, severity: disabled.isEmpty ? .warning : .error,
            disabled.isEmpty ? "The vendor rpmsg driver registered, but created no virtio device" : "The rpmsg device-tree node is disabled",
            evidence: disabled.map { "\($0.path): status \"\($0.status ?? "")\", compatible \($0.compatible.joined(separator: ", "))" }
                + (registeredOnly ?? []) + ["rpmsg virtio devices: none"],
            remedy: .enableRpmsgNode
        )]
    }
}

/// Mode 9: every virtio device can announce, none has a channel: the remote has not started or not announced.
struct NothingAnnouncedRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.nothingAnnounced]

    func findings(in context: DiagnosisContext) -> [Finding] {
        // A vdev Linux never finished setting up cannot announce: RD412 says so.
        let virtios = context.snapshot.virtioDevices.filter { $0.driver != nil }
        guard !virtios.isEmpty, context.index.announcedChannels.isEmpty, virtios.allSatisfy({ $0.offersNameService != false }),
              context.unreadyVdevs.isEmpty else { return [] }
        return [Finding(
            .nothingAnnounced, "rpmsg is up on \(virtios.map(\.name).joined(separator: ", ")), but the remote announced no channel",
            evidence: virtios.map { "\($0.name): no announced channel below \($0.sysfsPath)" } + Self.logEvidence(context)
                + Self.tableEvidence(context, remotes: virtios.compactMap(\.remoteProcessor)),
            remedy: .announce(withRemoteproc: !virtios.allSatisfy { $0.remoteProcessor == nil })
        )]
    }

    /// Mode 12: with DRIVER_OK in the table Linux holds, Linux is ready; a remote polling its own copy never sees it.
    private static func tableEvidence(_ context: DiagnosisContext, remotes: [String]) -> [String] {
        let lines = context.resourceTableEvidence(forRemotes: remotes)
        let ready = context.snapshot.remoteProcessors.contains { remote in
            remotes.contains(remote.name) && remote.resourceTable?.rpmsgVdevs.contains { $0.driverReady == true } == true
        }
        return lines + (ready ? ["Linux wrote DRIVER_OK into its copy of the resource table: a remote that waits on another copy (its own, linked in its image) never sees it"] : [])
    }

    /// What the kernel log says about announcements, only as far as it was read.
    private static func logEvidence(_ context: DiagnosisContext) -> [String] {
        guard context.snapshot.kernelLog.readable else { return ["kernel log not read: \(context.snapshot.kernelLog.reason ?? "unknown reason")"] }
        return (context.log.matches("rpmsg host is online") ?? [])
            + (context.log.matches("creating channel") ?? ["no \"creating channel\" line in the kernel log"])
    }
}

/// Searches the rpmsg-related kernel log lines, each taken apart once for every rule.
struct KernelLogScan {
    let lines: [KernelLogLine]

    init(_ log: KernelLog) { lines = log.lines.map(KernelLogLine.init) }

    /// The lines containing any of the phrases (ignoring case), or nil when there are none.
    func matches(_ phrases: String...) -> [String]? {
        let lowered = phrases.map { $0.lowercased() }
        let found = lines.filter { line in lowered.contains { line.lowered.contains($0) } }
        return found.isEmpty ? nil : found.suffix(5).map(\.text)
    }
}

/// An enabled transport node whose platform device no driver took, seen in sysfs whether or not the log still
/// holds the probe's error: with the log's lines about that device, or why there are none.
struct UnboundTransportRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.transportProbeFailed]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.unboundTransports.map { node in
            let device = node.platformDeviceName ?? "?"
            return Finding(
                .transportProbeFailed, "\(device) has no driver: the rpmsg transport of the device-tree node \(node.path) never came up",
                evidence: [
                    "\(node.path): compatible \(node.compatible.joined(separator: ", ")), status \(node.status ?? "none (enabled)")",
                    "\(node.platformDevice ?? device): no driver bound",
                ] + Self.deferral(of: node, device) + Self.logLines(about: device, context),
                remedy: .readProbeError
            )
        }
    }

    private static func deferral(of node: DeviceTreeNode, _ device: String) -> [String] {
        guard let reason = node.deferredProbe else { return [] }
        return ["/sys/kernel/debug/devices_deferred: \(device)'s probe is deferred, " + (reason.isEmpty ? "no reason given" : "\"\(reason)\"")]
    }

    private static func logLines(about device: String, _ context: DiagnosisContext) -> [String] {
        let log = context.snapshot.kernelLog
        guard log.readable else { return ["kernel log not read (\(log.reason ?? "unknown reason")): the probe's error is there"] }
        let lines = log.lines.filter { $0.contains(device) }
        return lines.isEmpty
            ? ["the kernel log says nothing about \(device): its driver is not built or loaded, or its probe waits for a supplier such as its mailbox"]
            : Array(lines.suffix(5))
    }
}

extension UnboundTransportRule {
    /// Enabled transport nodes whose platform device is there without a driver, while no virtio device a driver
    /// took carries rpmsg: once rpmsg runs through another transport (remoteproc), a leftover node is not the fault.
    static func unboundTransports(in snapshot: Snapshot) -> [DeviceTreeNode] {
        guard !snapshot.virtioDevices.contains(where: { $0.driver != nil }) else { return [] }
        return snapshot.deviceTree.filter { $0.isEnabled && $0.isRpmsgTransport && $0.platformDevice != nil && $0.driver == nil }
    }
}
