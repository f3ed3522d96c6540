#if canImport(Glibc)
import Glibc
#endif

/// Explains a probe's outcome with the same finding codes as scan: what it saw, as the typed outcomes of its
/// steps and its counts, combined with the scan of the same system (a wrong ctrl for that dst, nothing
/// announced there, permissions). It reads values only, never the words of the steps.
struct ProbeDiagnosis {
    let report: ProbeReport
    let target: ProbeTarget
    /// Scan's findings for exactly what the probe does (its ctrl, dst, src and name).
    let scan: [Finding]
    let snapshot: Snapshot
    let options: ProbeOptions
    /// Whether the target's channel, there when the probe started, was gone at its end.
    let channelVanished: Bool

    /// Scan's findings for what the probe is about to do.
    static func scan(_ snapshot: Snapshot, target: ProbeTarget, options: ProbeOptions) -> [Finding] {
        let intent = Intent(control: target.controlPath, dst: target.dst, src: options.src.isAny ? nil : options.src, name: options.name)
        return Diagnosis.findings(for: snapshot, intent: intent)
    }

    /// The scan finding that already explains why nothing answers: the ctrl is on another virtio device, or
    /// nothing announced the address.
    static func mappingExplanation(in scan: [Finding]) -> Finding? {
        scan.first { [.wrongControl, .notAnnounced].contains($0.id) }
    }

    func findings() -> [Finding] {
        let scan = scan.filter { $0.severity != .info }
        var own = report.failedCall.flatMap(systemCallFinding).map { [$0] } ?? []
        own += exchangeFindings(scan: scan)
        if let comparison = report.comparison, comparison.answered > 0 { own.append(ttyAnswers(comparison, scan: scan)) }
        let ownCodes = Set(own.map(\.id))
        return Finding.reportOrder(own + scan.filter { !ownCodes.contains($0.id) })
    }

    private func systemCallFinding(_ error: SystemCallError) -> Finding? {
        let evidence = ["\(error.call) \(error.path) failed with \(error.name)"]
        switch error.code {
        case EACCES, EPERM:
            return Finding(.permissionDenied, "Permission denied opening \(error.path)", evidence: evidence + nodeEvidence(error.path), remedy: .udevRule)
        case EBUSY:
            let holders = snapshot.endpointDevices.first { $0.node.path == error.path }?.holders ?? []
            return Finding(.endpointBusy, severity: .error, "\(error.path) is already open in another process (EBUSY)",
                           evidence: evidence + holders.map { "held by pid \($0.pid) (\($0.command))" }, remedy: .stopHolder(holders))
        case EINVAL where error.call == "open":
            return Finding(.addressTaken, severity: .error, "The endpoint could not open: src \(options.src.hex) is taken or reserved (EINVAL)",
                           evidence: evidence, remedy: .freeSourceAddress)
        case EMSGSIZE:
            return Finding(.messageTooBig, severity: .error, "The kernel refused a message as too big (EMSGSIZE)", evidence: evidence, remedy: .splitMessages)
        case EPIPE, ENETRESET, ENODEV, ENXIO:
            return remoteGone(evidence)
        case ENOENT:
            return Finding(.nodeMissing, "\(error.path) does not exist", evidence: evidence,
                           remedy: .createNodes(inContainer: snapshot.system.container.insideContainer, classLink: snapshot.managedNodes.first { $0.node.path == error.path }?.classLink ?? "/sys/class/rpmsg"))
        case _ where error.call == "RPMSG_CREATE_EPT_IOCTL":
            return Finding(.unknownControl, "\(error.path) refused RPMSG_CREATE_EPT_IOCTL (\(error.name)): it is not an rpmsg control device",
                           evidence: evidence + snapshot.controlDevices.map { "\($0.node.path) belongs to \($0.virtio ?? "no virtio device")" },
                           remedy: .nameAControl)
        default:
            return Finding(.remoteGone, "\(error.call) \(error.path) failed: \(error.name)", evidence: evidence, remedy: .restartRemote)
        }
    }

    private func exchangeFindings(scan: [Finding]) -> [Finding] {
        let counts = report.counts
        var findings: [Finding] = []
        if report.txRingFull != nil {
            findings.append(Finding(.remoteNotConsuming, severity: .error, "The remote does not consume messages: the TX ring filled and stayed full",
                                    evidence: report.steps.filter { if case .txRingFull = $0.outcome { true } else { false } }.map { "\($0.name): \($0.detail)" },
                                    remedy: .fixRemoteReceivePath))
        } else if counts.lost > 0, options.expectation != .none, report.failedCall == nil {
            if channelVanished, let channel = target.channel {
                findings.append(remoteGone(["\(channel.sysfsPath) existed before the probe and is gone now"]))
            } else if (report.comparison?.answered ?? 0) > 0 {
                // The remote answers through the channel's tty: it is not silent (RD510 says what is).
            } else if counts.answered > 0 || Self.mappingExplanation(in: scan) == nil {
                findings.append(silent(counts))
            }
        }
        let sorting = counts.sorting
        if sorting.damaged > 0 {
            let onlyOtherData = sorting.otherData == sorting.damaged
            findings.append(Finding(.remoteAnswersOtherData, severity: onlyOtherData ? .warning : .error,
                                    "\(sorting.damaged) of \(counts.answered) answers were not the echo of the message sent",
                                    evidence: [ProbeReport.Outcome.sorted(sorting).description],
                                    remedy: .checkEcho(onlyOtherData: onlyOtherData, probeArguments: options.target.arguments)))
        }
        return findings
    }

    private func silent(_ counts: ProbeReport.Counts) -> Finding {
        let answered = counts.sent - counts.lost
        return Finding(
            .remoteSilent,
            answered == 0
                ? "The remote received \(counts.sent) message\(counts.sent == 1 ? "" : "s") and answered none"
                : "The remote stopped answering: \(answered) of \(counts.sent) messages answered",
            evidence: ["\(counts.sent) sent to \(target.dst?.hex ?? "?") through \(target.controlPath ?? target.endpointPath ?? target.tty?.node.path ?? "?"), \(answered) answered within \(options.timeoutMilliseconds) ms"]
                + report.steps.filter { $0.action == .consumptionCheck }.map(\.detail),
            remedy: .answerTheSender(src: report.src, probeArguments: options.target.arguments)
        )
    }

    /// The endpoint got no answer (or fewer) where the same channel's tty got them: the remote is alive.
    private func ttyAnswers(_ comparison: ProbeReport.Comparison, scan: [Finding]) -> Finding {
        let counts = report.counts
        let through = target.controlPath.map { "made through \($0), " } ?? ""
        var evidence = ["\(report.endpoint ?? target.endpointPath ?? "the endpoint") (\(through)dst \(target.dst?.hex ?? "?")): \(counts.sent - counts.lost) of \(counts.sent) answered within \(options.timeoutMilliseconds) ms",
                        "\(comparison.tty), the tty of channel \(target.channel?.label ?? "?"): \(comparison.answered) of \(comparison.sent) answered"]
        if let explanation = Self.mappingExplanation(in: scan) { evidence.append("\(explanation.id.rawValue): \(explanation.summary)") }
        let scanArguments: [String]
        if let control = target.controlPath, let dst = target.dst { scanArguments = ["--ctrl", control, "--dst", dst.hex] } else { scanArguments = [] }
        return Finding(.ttyAnswersEndpointDoesNot,
                       "The remote answers through \(comparison.tty) but not through \(report.endpoint ?? target.endpointPath ?? "the endpoint"): the remote is alive, the endpoint is the problem",
                       evidence: evidence, remedy: .fixEndpointPath(tty: comparison.tty, scanArguments: scanArguments))
    }

    private func remoteGone(_ evidence: [String]) -> Finding {
        Finding(.remoteGone, "The remote went away during the probe (channel destroyed, crash or restart)",
                evidence: evidence + snapshot.remoteProcessors.map { "\($0.name): state \($0.state ?? "?")" }, remedy: .restartRemote)
    }

    private func nodeEvidence(_ path: String) -> [String] {
        snapshot.managedNodes.filter { $0.node.path == path }.map { "\(path): \($0.node.ownershipText)" }
    }

}
