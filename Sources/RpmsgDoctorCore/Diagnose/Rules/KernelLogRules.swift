// Failure modes 8, 10, 11, 16 to 19, 24, 25 and 26: what the kernel log says went wrong, as far as it still holds.

/// One finding per code whose patterns match a line that still says something about the system as it is now.
struct KernelLogRule: DiagnosisRule {
    var codes: Set<FindingCode> { Set(KernelLogPattern.all.map(\.code)) }

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard context.snapshot.kernelLog.readable, !context.log.lines.isEmpty else { return [] }
        let lines = context.log.lines
        let later = LaterLines(lines)
        // Rules that see these failures in the system itself report them, quoting the same lines.
        let reportedFromSystem = context.reportedFromSystem
        var matches: [FindingCode: [(line: KernelLogLine, pattern: KernelLogPattern)]] = [:]
        for (position, line) in lines.enumerated() {
            guard let pattern = KernelLogPattern.all.first(where: { $0.matches(line) }),
                  reportedFromSystem[pattern.code]?.contains(line.device ?? "") != true,
                  stillHolds(pattern, line, at: position, later, context) else { continue }
            matches[pattern.code, default: []].append((line, pattern))
        }
        return matches.keys.sorted().compactMap { code in
            guard let found = matches[code], let last = found.last else { return nil }
            let devices = Set(found.compactMap(\.line.device)).sorted()
            let sources = found.map(\.pattern.source).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return Finding(
                code, (devices.isEmpty ? "The kernel log shows " : "On \(devices.joined(separator: ", ")), the kernel log shows ") + last.pattern.meaning,
                evidence: found.suffix(5).map(\.line.text) + sources.map { "printed by \($0)" } + context.logContext(for: code, devices: devices),
                remedy: last.pattern.remedy ?? Self.remedy(for: code, context)
            )
        }
    }

    /// Whether the line still describes the system: the state it reports has not been left since.
    private func stillHolds(_ pattern: KernelLogPattern, _ line: KernelLogLine, at position: Int, _ later: LaterLines, _ context: DiagnosisContext) -> Bool {
        switch pattern.relevance {
        case .always:
            return true
        case .whileRemoteDown:
            let remotes = context.snapshot.remoteProcessors
            return (remotes.isEmpty || remotes.contains { !$0.isUp }) && !later.recovery(of: line.device, after: position)
        case .untilTransportUp:
            return !context.transportIsUp(below: line.device) && !later.recovery(of: line.device, after: position)
        case .untilRemoteRestart:
            return !later.restart(after: position)
        }
    }

    private static func remedy(for code: FindingCode, _ context: DiagnosisContext) -> Remedy {
        switch code {
        case .firmwareLoadFailed: .installFirmware(for: context.snapshot.remoteProcessors.first { !$0.isUp })
        case .noResourceTable: .addResourceTable
        case .remoteNotNotified: .fixMailbox
        case .sharedMemoryMissing: .reserveSharedMemory
        case .transportProbeFailed: .readProbeError
        case .duplicateVirtioTransport: .uniqueVirtioTransport
        case .staleVrings: .restartBothSides
        case .messageTooBig: .splitMessages
        case .remoteNotConsuming: .fixRemoteReceivePath
        case .noRecipient: .keepEndpointOpen
        case .addressTaken: .freeSourceAddress
        default: .matchBufferSizes
        }
    }
}

/// Where the last lines that end a failure stand, found in one pass, so that whether one follows a line is a lookup
/// (a snapshot's log has no line limit: searching onward from every failure would be quadratic).
struct LaterLines {
    private var lastRestart = -1
    private var lastRecovery = -1
    private var lastRecoveryByDevice: [String: Int] = [:]

    init(_ lines: [KernelLogLine]) {
        for (position, line) in lines.enumerated() {
            if KernelLogPattern.restartPhrases.contains(where: line.text.contains) { lastRestart = position }
            guard KernelLogPattern.recoveryPhrases.contains(where: line.text.contains) else { continue }
            lastRecovery = position
            if let device = line.device { lastRecoveryByDevice[device] = position }
        }
    }

    /// A later line about the same device (or, for a line naming none, any) that shows it came up.
    func recovery(of device: String?, after position: Int) -> Bool {
        (device.map { lastRecoveryByDevice[$0] ?? -1 } ?? lastRecovery) > position
    }

    /// A later line that shows a remote processor was started or attached again.
    func restart(after position: Int) -> Bool { lastRestart > position }
}

extension DiagnosisContext {
    /// Whether a virtio device came up below the device a log line names; for a device this system does not know
    /// (gone since the line was logged), whether any did.
    func transportIsUp(below device: String?) -> Bool {
        let virtios = snapshot.virtioDevices
        guard let device else { return !virtios.isEmpty }
        if virtios.contains(where: { $0.remoteProcessor == device || $0.transportParent == device || $0.sysfsPath.contains("/\(device)/") }) {
            return true
        }
        let known = snapshot.remoteProcessors.contains { $0.name == device || $0.sysfsPath.contains("/\(device)/") }
        return !known && !virtios.isEmpty
    }

    /// What else the system says about a code the log raised.
    func logContext(for code: FindingCode, devices: [String]) -> [String] {
        switch code {
        case .firmwareLoadFailed:
            return snapshot.remoteProcessors.map { "\($0.name): firmware \($0.firmware ?? "?"), state \($0.state ?? "?")" }
        case .noRecipient:
            let virtios = devices.filter { KernelNames.isNumbered($0, prefix: "virtio") }
            let live = snapshot.endpointDevices.filter { virtios.isEmpty || virtios.contains($0.virtio ?? "") }
                .compactMap { endpoint in endpoint.src.map { "\(endpoint.node.path) on \(endpoint.virtio ?? "?"): src \($0.hex)" } }
            return live.isEmpty ? ["no endpoint device is open now"] : live
        default:
            return []
        }
    }
}
