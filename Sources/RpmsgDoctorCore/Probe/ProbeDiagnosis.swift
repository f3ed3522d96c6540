#if canImport(Glibc)
import Glibc
#endif

/// Explains a probe's outcome with the same finding codes as scan: what it saw, combined with the scan of the
/// same system (a wrong ctrl for that dst, nothing announced there, permissions).
struct ProbeDiagnosis {
    let report: ProbeReport
    let target: ProbeTarget
    /// Scan's findings for exactly what the probe does (its ctrl, dst, src and name).
    let scan: [Finding]
    let failure: SystemCallError?
    let snapshot: Snapshot
    let fs: RootedFileSystem
    let options: ProbeOptions

    /// Scan's findings for what the probe is about to do.
    static func scan(_ snapshot: Snapshot, target: ProbeTarget, options: ProbeOptions) -> [Finding] {
        let intent = Intent(control: target.controlPath, dst: target.dst, src: options.src.isAny ? nil : options.src, name: options.name)
        return Diagnosis.findings(for: snapshot, intent: intent)
    }

    /// The scan finding that already explains why nothing answers: the ctrl is on another virtio device, or
    /// nothing announced the address.
    static func mappingExplanation(in scan: [Finding]) -> Finding? {
        scan.first { [FindingCode.wrongControl.rawValue, FindingCode.notAnnounced.rawValue].contains($0.id) }
    }

    func findings() -> [Finding] {
        let scan = scan.filter { $0.severity != .info }
        var own = failure.flatMap(systemCallFinding) .map { [$0] } ?? []
        own += exchangeFindings(scan: scan)
        let ownCodes = Set(own.map(\.id))
        // Most severe first; among equals, by code, which puts the mapping (RD1xx) before its symptoms (RD5xx).
        return (own + scan.filter { !ownCodes.contains($0.id) }).sorted { ($0.severity, $0.id) < ($1.severity, $1.id) }
    }

    private func systemCallFinding(_ error: SystemCallError) -> Finding? {
        let evidence = ["\(error.call) \(error.path) failed with \(error.name)"]
        switch error.code {
        case EACCES, EPERM:
            return Finding(.permissionDenied, .error, "Permission denied opening \(error.path)", evidence: evidence + nodeEvidence(error.path),
                           fix: "Give the rpmsg devices a group and mode 0660 with a udev rule and join that group.", commands: NodeRules.udevRuleCommands)
        case EBUSY:
            let holders = snapshot.endpointDevices.first { $0.node.path == error.path }?.holders ?? []
            return Finding(.endpointBusy, .error, "\(error.path) is already open in another process (EBUSY)",
                           evidence: evidence + holders.map { "held by pid \($0.pid) (\($0.command))" },
                           fix: "Only one process may hold an rpmsg endpoint at a time (5.13+): stop the other one.")
        case EINVAL where error.call == "open":
            return Finding(.addressTaken, .error, "The endpoint could not open: src \(options.src.hex) is taken or reserved (EINVAL)",
                           evidence: evidence, fix: "Use src RPMSG_ADDR_ANY or a free address of 1024 or above.")
        case EMSGSIZE:
            return Finding(.messageTooBig, .error, "The kernel refused a message as too big (EMSGSIZE)", evidence: evidence,
                           fix: "Keep payloads at \(ProbeOptions.largestPayload) bytes or less.")
        case EPIPE, ENETRESET, ENODEV, ENXIO:
            return remoteGone(evidence)
        case ENOENT:
            return Finding(.nodeMissing, .error, "\(error.path) does not exist", evidence: evidence, fix: "See \(FindingCode.nodeMissing.page).")
        case _ where error.call == "RPMSG_CREATE_EPT_IOCTL":
            return Finding(.unknownControl, .error, "\(error.path) refused RPMSG_CREATE_EPT_IOCTL (\(error.name)): it is not an rpmsg control device",
                           evidence: evidence + snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" },
                           fix: "Create endpoints through /dev/rpmsg_ctrlN, the control device of the channel's virtio device.")
        default:
            return Finding(.remoteGone, .error, "\(error.call) \(error.path) failed: \(error.name)", evidence: evidence,
                           fix: "An rpmsg endpoint fails like this when its channel or remote goes away; look at the kernel log (dmesg) for what the rpmsg bus said at that moment.")
        }
    }

    private func exchangeFindings(scan: [Finding]) -> [Finding] {
        let counts = report.counts
        var findings: [Finding] = []
        if report.steps.contains(where: { $0.verdict == .failed && $0.detail.contains("does not consume") }) {
            findings.append(Finding(.remoteNotConsuming, .error, "The remote does not consume messages: the TX ring filled and stayed full",
                                    evidence: report.steps.filter { $0.detail.contains("does not consume") }.map(\.detail),
                                    fix: "Fix the remote's receive path: it must return buffers and kick (check its interrupt and mailbox); until then blocking writes wait 15 s."))
        } else if counts.lost > 0, options.expectation != .none, failure == nil {
            if let gone = channelVanished() {
                findings.append(gone)
            } else if counts.answered > 0 || Self.mappingExplanation(in: scan) == nil {
                findings.append(silent(counts))
            }
        }
        let damaged = counts.truncated + counts.corrupted + counts.otherData + counts.duplicated
        if damaged > 0 {
            findings.append(Finding(.remoteAnswersOtherData, counts.otherData == damaged ? .warning : .error,
                                    "\(damaged) of \(counts.answered) answers were not the echo of the message sent",
                                    evidence: ["\(counts.intact) intact, \(counts.truncated) truncated, \(counts.corrupted) corrupted, \(counts.otherData) other data, \(counts.duplicated) duplicated"],
                                    fix: counts.otherData == damaged
                                        ? "If the firmware answers with data of its own, that is normal: probe with --expect reply."
                                        : "The remote damages messages: check its buffer sizes (it must not copy into a smaller buffer) and that it echoes from the buffer it received.",
                                    commands: counts.otherData == damaged ? ["rpmsg-doctor probe --expect reply" + targetArguments] : []))
        }
        return findings
    }

    private func silent(_ counts: ProbeReport.Counts) -> Finding {
        let answered = counts.sent - counts.lost
        return Finding(
            .remoteSilent, .error,
            answered == 0
                ? "The remote received \(counts.sent) message\(counts.sent == 1 ? "" : "s") and answered none"
                : "The remote stopped answering: \(answered) of \(counts.sent) messages answered",
            evidence: ["\(counts.sent) sent to \(target.dst?.hex ?? "?") through \(target.controlPath ?? target.endpointPath ?? "?"), \(answered) answered within \(options.timeoutMilliseconds) ms"]
                + report.steps.filter { $0.name == "consumption check" }.map(\.detail),
            fix: "The remote takes the messages but sends nothing back: check that its endpoint answers to the sender's address (\(report.src.flatMap { $0.isAny ? nil : "src \($0.hex)" } ?? "the address the kernel gave your endpoint, shown in the remote's receive path")), that it is not waiting for another message first, and that it does not stall after the first message.",
            commands: ["rpmsg-doctor probe --expect none" + targetArguments]
        )
    }

    /// The channel existed when the probe started and is gone now: the remote destroyed it or went away.
    private func channelVanished() -> Finding? {
        guard let channel = target.channel, !fs.exists(SysPath(channel.sysfsPath)) else { return nil }
        return remoteGone(["\(channel.sysfsPath) existed before the probe and is gone now"])
    }

    private func remoteGone(_ evidence: [String]) -> Finding {
        Finding(.remoteGone, .error, "The remote went away during the probe (channel destroyed, crash or restart)",
                evidence: evidence + snapshot.remoteProcessors.map { "\($0.name): state \($0.state ?? "?")" },
                fix: "Restart or recover the remote, then reopen the endpoint: an endpoint whose channel or remote is gone fails with EPIPE.",
                commands: ["dmesg | grep -iE 'rpmsg|remoteproc' | tail"])
    }

    private func nodeEvidence(_ path: String) -> [String] {
        snapshot.managedNodes.filter { $0.node.path == path }.map { "\(path): \($0.node.modeString) \($0.node.owner ?? "?"):\($0.node.group ?? "?")" }
    }

    private var targetArguments: String {
        switch options.target {
        case .service(let name): " --service '\(name)'"
        case .control(let path, let dst): " --ctrl \(path) --dst \(dst.hex)"
        case .device(let path): " --device \(path)"
        }
    }
}
