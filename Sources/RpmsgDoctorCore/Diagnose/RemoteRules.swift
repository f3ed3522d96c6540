/// Failure modes 7, 9, 10, 11 and 22: the remote core is not up, or never set up rpmsg.
enum RemoteRules {
    static func findings(_ index: TopologyIndex) -> [Finding] {
        let snapshot = index.snapshot
        var findings = snapshot.remoteProcessors.compactMap { notRunning($0, snapshot) }
        let log = KernelLogScan(snapshot.kernelLog)
        let remoteStillDown = snapshot.remoteProcessors.isEmpty || snapshot.remoteProcessors.contains { !["running", "attached"].contains($0.state ?? "") }
        let remoteWithoutVirtio = snapshot.remoteProcessors.contains { remote in !snapshot.virtioDevices.contains { $0.remoteProcessor == remote.name } }
        if remoteStillDown, let lines = log.matches("Direct firmware load", "failed to load", "Boot failed", "request_firmware failed") {
            findings.append(Finding(
                .firmwareLoadFailed, .error, "The kernel could not load the remote's firmware",
                evidence: lines + snapshot.remoteProcessors.map { "\($0.name): firmware \($0.firmware ?? "?"), state \($0.state ?? "?")" },
                fix: "Install the firmware file under /lib/firmware with the name the remoteproc expects (or write the right name to its firmware attribute), then start it.",
                commands: snapshot.remoteProcessors.filter { !["running", "attached"].contains($0.state ?? "") }.prefix(1)
                    .flatMap { ["ls -l /lib/firmware/\($0.firmware ?? "")", "echo start | sudo tee /sys/class/remoteproc/\($0.name)/state"] }
            ))
        }
        // remoteproc core: "no resource table found for this firmware"; imx_rproc, rcar_rproc: "No resource table in elf".
        if snapshot.virtioDevices.isEmpty || remoteWithoutVirtio, let lines = log.matches("no resource table") {
            findings.append(Finding(
                .noResourceTable, .error, "The firmware has no resource table, so no virtio device (and no rpmsg) was created",
                evidence: lines,
                fix: "Link the firmware with a .resource_table section that declares the rpmsg vdev and its vrings."
            ))
        }
        if let disabled = rpmsgNodeDisabled(snapshot) { findings.append(disabled) }
        if let silent = nothingAnnounced(index) { findings.append(silent) }
        return findings
    }

    private static func notRunning(_ remote: RemoteProcessor, _ snapshot: Snapshot) -> Finding? {
        guard let state = remote.state, !["running", "attached"].contains(state) else { return nil }
        let crashed = state == "crashed"
        return Finding(
            .remoteNotRunning, crashed ? .error : .warning,
            "\(remote.name) (\(remote.processorName ?? "remote processor")) is \(state)" + (crashed ? ": its endpoints are gone or stalled until it is recovered" : ""),
            evidence: ["\(remote.sysfsPath)/state: \(state)", "firmware: \(remote.firmware ?? "?")", "recovery: \(remote.recovery ?? "?")"]
                + (KernelLogScan(snapshot.kernelLog).matches("crash", "recover") ?? []),
            fix: crashed
                ? "Recover the remote (a crashed remoteproc refuses start and stop), then reopen your endpoints: the old ones are gone."
                : "Start the remote processor; if a boot loader already started it, it must be attached instead.",
            commands: [crashed
                ? "echo recover | sudo tee /sys/class/remoteproc/\(remote.name)/recovery"
                : "echo start | sudo tee /sys/class/remoteproc/\(remote.name)/state"]
        )
    }

    /// The vendor transport's compatible, such as "fsl,imx8qm-rpmsg"; client nodes ("fsl,imx8mm-rpmsg-audio") are not it.
    static func isRpmsgTransport(_ compatible: String) -> Bool {
        compatible.hasSuffix("-rpmsg") || compatible.hasSuffix(",rpmsg")
    }

    private static func rpmsgNodeDisabled(_ snapshot: Snapshot) -> Finding? {
        guard snapshot.virtioDevices.isEmpty else { return nil }
        let disabled = snapshot.deviceTree.filter { node in !node.isEnabled && node.compatible.contains(where: isRpmsgTransport) }
        let registeredOnly = KernelLogScan(snapshot.kernelLog).matches("imx rpmsg driver is registered")
        guard !disabled.isEmpty || registeredOnly != nil else { return nil }
        return Finding(
            .rpmsgNodeDisabled, disabled.isEmpty ? .warning : .error,
            disabled.isEmpty ? "The vendor rpmsg driver registered, but created no virtio device" : "The rpmsg device-tree node is disabled",
            evidence: disabled.map { "\($0.path): status \"\($0.status ?? "")\", compatible \($0.compatible.joined(separator: ", "))" }
                + (registeredOnly ?? []) + ["rpmsg virtio devices: none"],
            fix: "Boot with the device tree (or overlay) that enables the rpmsg node, with its vdev-nums, vrings, mailbox and reserved memory."
        )
    }

    /// Mode 9: every virtio device can announce, none has a channel: the remote has not started or not announced.
    private static func nothingAnnounced(_ index: TopologyIndex) -> Finding? {
        let virtios = index.snapshot.virtioDevices
        guard !virtios.isEmpty, index.announcedChannels.isEmpty, virtios.allSatisfy({ $0.offersNameService != false }) else { return nil }
        let noRemoteproc = virtios.allSatisfy { $0.remoteProcessor == nil }
        return Finding(
            .nothingAnnounced, .warning,
            "rpmsg is up on \(virtios.map(\.name).joined(separator: ", ")), but the remote announced no channel",
            evidence: virtios.map { "\($0.name): no announced channel below \($0.sysfsPath)" }
                + logEvidence(index.snapshot.kernelLog),
            fix: noRemoteproc
                ? "The remote must be running before Linux probes rpmsg (on i.MX: start it from U-Boot with bootaux before booting Linux), and must call its name-service announce."
                : "Check that the firmware creates its endpoint and announces it (rpmsg_ns_announce / OpenAMP rpmsg_create_ept with a name)."
        )
    }
}

extension RemoteRules {
    /// What the kernel log says about announcements, only as far as it was read.
    static func logEvidence(_ log: KernelLog) -> [String] {
        guard log.readable else { return ["kernel log not read: \(log.reason ?? "unknown reason")"] }
        let scan = KernelLogScan(log)
        return (scan.matches("rpmsg host is online") ?? [])
            + (scan.matches("creating channel") ?? ["no \"creating channel\" line in the kernel log"])
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
