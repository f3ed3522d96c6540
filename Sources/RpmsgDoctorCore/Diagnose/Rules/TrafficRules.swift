// Failure modes 16 to 19: what the kernel log says about messages, and local addresses.

/// These come from the kernel log: they happened, but may be old. They are warnings, not errors.
struct TrafficLogRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.messageTooBig, .remoteNotConsuming, .noRecipient, .addressTaken]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let log = context.log
        var findings: [Finding] = []
        if let lines = log.matches("message is too big") {
            findings.append(Finding(.messageTooBig, "The kernel log shows a write over the 496-byte payload limit (EMSGSIZE)",
                                    evidence: lines, remedy: .splitMessages))
        }
        if let lines = log.matches("timeout waiting for a tx buffer") {
            findings.append(Finding(.remoteNotConsuming, "The kernel log shows the remote stopped consuming messages: a write waited 15 s for a free buffer",
                                    evidence: lines, remedy: .fixRemoteReceivePath))
        }
        if let lines = log.matches("msg received with no recipient") {
            let virtios = Set(lines.compactMap { Self.virtioName(inLogLine: $0) })
            let live = context.snapshot.endpointDevices.filter { virtios.isEmpty || virtios.contains($0.virtio ?? "") }
                .compactMap { endpoint in endpoint.src.map { "\(endpoint.node.path) on \(endpoint.virtio ?? "?"): src \($0.hex)" } }
            findings.append(Finding(.noRecipient, "The kernel log shows the remote sent to a local address nobody listens on",
                                    evidence: lines + (live.isEmpty ? ["no endpoint device is open now"] : live), remedy: .keepEndpointOpen))
        }
        // remoteproc prints its own "idr_alloc failed" for vring notify ids; the rpmsg ones are about addresses.
        if let lines = log.matches("idr_alloc failed")?.filter({ !$0.contains("remoteproc") }), !lines.isEmpty {
            findings.append(Finding(.addressTaken, "The kernel log shows an endpoint whose src address was taken (open() fails with EINVAL)",
                                    evidence: lines, remedy: .freeSourceAddress))
        }
        return findings
    }

    /// "virtio0" from "virtio_rpmsg_bus virtio0: msg received with no recipient".
    static func virtioName(inLogLine line: String) -> String? {
        line.split(whereSeparator: { $0 == " " || $0 == ":" }).map(String.init).first { KernelNames.isNumbered($0, prefix: "virtio") }
    }
}

/// An explicit `--src` is refused when a live endpoint on the same virtio device holds it, or it is the name
/// service's address there; below 1024 it is only unwise.
struct IntendedSourceRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.addressTaken]

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard let src = context.intent.src, !src.isAny else { return [] }
        let index = context.index
        let virtio = context.intent.control.flatMap { index.control(named: $0)?.virtio }
        let onVirtio = { (name: String?) in virtio == nil || name == virtio }
        let holders = index.snapshot.endpointDevices.filter { $0.src == src && onVirtio($0.virtio) && !$0.holders.isEmpty }.map(\.node.path)
            + index.announcedChannels.filter { $0.src == src && $0.driver != nil && onVirtio($0.virtio) }.map { "channel \($0.deviceName)" }
        let nameService = src == .nameService && index.snapshot.virtioDevices.contains { onVirtio($0.name) && $0.offersNameService != false }
        if nameService || !holders.isEmpty {
            return [Finding(
                .addressTaken, severity: .error,
                "src \(src.hex) is " + (nameService ? "the name-service address" : "held by \(holders.joined(separator: ", "))") + ": open() will fail with EINVAL",
                evidence: holders.map { "\($0): src \(src.hex)" } + (nameService ? ["address 53 is the name service's wherever VIRTIO_RPMSG_F_NS is negotiated"] : []),
                remedy: .freeSourceAddress
            )]
        }
        guard src.value < RpmsgAddress.firstDynamic else { return [] }
        return [Finding(.addressTaken, "src \(src.hex) is below 1024, the range of static addresses", evidence: ["--src \(src.hex)"], remedy: .sourceAboveStaticRange)]
    }
}
