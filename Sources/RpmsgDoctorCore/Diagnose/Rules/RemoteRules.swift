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

    /// The vendor transport's compatible, such as "fsl,imx8qm-rpmsg"; client nodes ("fsl,imx8mm-rpmsg-audio") are not it.
    static func isRpmsgTransport(_ compatible: String) -> Bool {
        compatible.hasSuffix("-rpmsg") || compatible.hasSuffix(",rpmsg")
    }

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        guard snapshot.virtioDevices.isEmpty else { return [] }
        let disabled = snapshot.deviceTree.filter { node in !node.isEnabled && node.compatible.contains(where: Self.isRpmsgTransport) }
        // With the node enabled, the driver failed for another reason, which the kernel log rules name.
        let enabledTransport = snapshot.deviceTree.contains { $0.isEnabled && $0.compatible.contains(where: Self.isRpmsgTransport) }
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
        let virtios = context.snapshot.virtioDevices
        guard !virtios.isEmpty, context.index.announcedChannels.isEmpty, virtios.allSatisfy({ $0.offersNameService != false }) else { return [] }
        return [Finding(
            .nothingAnnounced, "rpmsg is up on \(virtios.map(\.name).joined(separator: ", ")), but the remote announced no channel",
            evidence: virtios.map { "\($0.name): no announced channel below \($0.sysfsPath)" } + Self.logEvidence(context),
            remedy: .announce(withRemoteproc: !virtios.allSatisfy { $0.remoteProcessor == nil })
        )]
    }

    /// What the kernel log says about announcements, only as far as it was read.
    private static func logEvidence(_ context: DiagnosisContext) -> [String] {
        guard context.snapshot.kernelLog.readable else { return ["kernel log not read: \(context.snapshot.kernelLog.reason ?? "unknown reason")"] }
        return (context.log.matches("rpmsg host is online") ?? [])
            + (context.log.matches("creating channel") ?? ["no \"creating channel\" line in the kernel log"])
    }
}

/// Searches the rpmsg-related kernel log lines.
struct KernelLogScan {
    let log: KernelLog

    init(_ log: KernelLog) { self.log = log }

    /// The lines containing any of the phrases (ignoring case), or nil when there are none.
    func matches(_ phrases: String...) -> [String]? {
        let lowered = phrases.map { $0.lowercased() }
        let lines = log.lines.filter { line in
            let text = line.lowercased()
            return lowered.contains { text.contains($0) }
        }
        return lines.isEmpty ? nil : Array(lines.suffix(5))
    }
}
