// Failure modes 8, 10, 11, 16 to 19, 24, 25 and 26: what the kernel log says went wrong, as far as it still holds.

/// One finding per code whose patterns match a line that still says something about the system as it is now.
struct KernelLogRule: DiagnosisRule {
    var codes: Set<FindingCode> { Set(KernelLogPattern.all.map(\.code)) }

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard context.snapshot.kernelLog.readable, !context.snapshot.kernelLog.lines.isEmpty else { return [] }
        let lines = context.snapshot.kernelLog.lines.map(KernelLogLine.init)
        // Rules that see these failures in the system itself report them, quoting the same lines.
        let unbound = Set(context.unboundTransports.compactMap(\.platformDeviceName))
        let tablesShowMissing = !context.remotesWithoutResourceTable.isEmpty
        var matches: [FindingCode: [(line: KernelLogLine, pattern: KernelLogPattern)]] = [:]
        for (position, line) in lines.enumerated() {
            guard let pattern = KernelLogPattern.all.first(where: { $0.matches(line) }),
                  !(pattern.code == .transportProbeFailed && unbound.contains(line.device ?? "")),
                  !(pattern.code == .noResourceTable && tablesShowMissing),
                  stillHolds(pattern, line, after: position, in: lines, context) else { continue }
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
    private func stillHolds(_ pattern: KernelLogPattern, _ line: KernelLogLine, after position: Int, in lines: [KernelLogLine], _ context: DiagnosisContext) -> Bool {
        let later = lines[(position + 1)...]
        switch pattern.relevance {
        case .always:
            return true
        case .whileRemoteDown:
            let remotes = context.snapshot.remoteProcessors
            return (remotes.isEmpty || remotes.contains { !$0.isUp }) && !later.contains { recovers(line, $0) }
        case .untilTransportUp:
            return !context.transportIsUp(below: line.device) && !later.contains { recovers(line, $0) }
        case .untilRemoteRestart:
            return !later.contains { $0.text.contains("is now up") || $0.text.contains("is now attached") }
        }
    }

    /// A later line about the same device (or, for a line naming none, any) that shows it came up.
    private func recovers(_ failure: KernelLogLine, _ later: KernelLogLine) -> Bool {
        (failure.device == nil || later.device == failure.device) && KernelLogPattern.recoveryPhrases.contains { later.text.contains($0) }
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
