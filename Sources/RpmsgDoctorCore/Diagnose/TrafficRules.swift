/// Failure modes 16 to 19: what the kernel log says about messages, and local addresses.
enum TrafficRules {
    static func findings(_ index: TopologyIndex, intent: Intent) -> [Finding] {
        let log = KernelLogScan(index.snapshot.kernelLog)
        var findings: [Finding] = []
        // These come from the kernel log: they happened, but may be old. They are warnings, not errors.
        if let lines = log.matches("message is too big") {
            findings.append(Finding(
                .messageTooBig, .warning, "The kernel log shows a write over the 496-byte payload limit (EMSGSIZE)",
                evidence: lines + ["virtio rpmsg buffers are 512 bytes with a 16-byte header"],
                fix: "Split messages into payloads of at most 496 bytes."
            ))
        }
        if let lines = log.matches("timeout waiting for a tx buffer") {
            findings.append(Finding(
                .remoteNotConsuming, .warning, "The kernel log shows the remote stopped consuming messages: a write waited 15 s for a free buffer",
                evidence: lines,
                fix: "Fix the remote's receive path: it must return buffers and kick the host (check its interrupt and mailbox setup). Use O_NONBLOCK on Linux to fail fast with EAGAIN; `rpmsg-doctor probe` tells whether it still happens."
            ))
        }
        if let lines = log.matches("msg received with no recipient") {
            let virtios = Set(lines.compactMap { Self.virtioName(inLogLine: $0) })
            let live = index.snapshot.endpointDevices.filter { virtios.isEmpty || virtios.contains($0.virtio ?? "") }
                .compactMap { endpoint in endpoint.src.map { "\(endpoint.node.path) on \(endpoint.virtio ?? "?"): src \($0.hex)" } }
            findings.append(Finding(
                .noRecipient, .warning, "The kernel log shows the remote sent to a local address nobody listens on",
                evidence: lines + (live.isEmpty ? ["no endpoint device is open now"] : live),
                fix: "The remote answers an old or destroyed address: keep your endpoint open while you expect answers, or use a fixed src (>= 1024) the firmware knows."
            ))
        }
        // remoteproc prints its own "idr_alloc failed" for vring notify ids; the rpmsg ones are about addresses.
        if let lines = log.matches("idr_alloc failed")?.filter({ !$0.contains("remoteproc") }), !lines.isEmpty {
            findings.append(Finding(
                .addressTaken, .warning, "The kernel log shows an endpoint whose src address was taken (open() fails with EINVAL)",
                evidence: lines,
                fix: "Use src RPMSG_ADDR_ANY (0xffffffff) for a dynamic address, or a free one of 1024 or above."
            ))
        }
        if let intended = intendedSource(intent, index) { findings.append(intended) }
        return findings
    }

    /// "virtio0" from "virtio_rpmsg_bus virtio0: msg received with no recipient".
    static func virtioName(inLogLine line: String) -> String? {
        line.split(whereSeparator: { $0 == " " || $0 == ":" }).map(String.init).first { SysfsAncestry.isNumbered($0, prefix: "virtio") }
    }

    /// An explicit src is refused when a live endpoint on the same virtio device holds it, or it is the
    /// name service's address there; below 1024 it is only unwise.
    private static func intendedSource(_ intent: Intent, _ index: TopologyIndex) -> Finding? {
        guard let src = intent.src, !src.isAny else { return nil }
        let virtio = intent.control.flatMap { index.control(named: $0)?.virtio }
        let onVirtio = { (name: String?) in virtio == nil || name == virtio }
        let holders = index.snapshot.endpointDevices.filter { $0.src == src && onVirtio($0.virtio) && !$0.holders.isEmpty }.map(\.node.path)
            + index.announcedChannels.filter { $0.src == src && $0.driver != nil && onVirtio($0.virtio) }.map { "channel \($0.deviceName)" }
        let nameService = src == .nameService && index.snapshot.virtioDevices.contains { onVirtio($0.name) && $0.offersNameService != false }
        if nameService || !holders.isEmpty {
            return Finding(
                .addressTaken, .error,
                "src \(src.hex) is " + (nameService ? "the name-service address" : "held by \(holders.joined(separator: ", "))") + ": open() will fail with EINVAL",
                evidence: holders.map { "\($0): src \(src.hex)" } + (nameService ? ["address 53 is the name service's wherever VIRTIO_RPMSG_F_NS is negotiated"] : []),
                fix: "Use src RPMSG_ADDR_ANY (0xffffffff) for a dynamic address, or a free one of 1024 or above."
            )
        }
        guard src.value < RpmsgAddress.firstDynamic else { return nil }
        return Finding(
            .addressTaken, .warning, "src \(src.hex) is below 1024, the range of static addresses",
            evidence: ["--src \(src.hex)"],
            fix: "Addresses below 1024 can clash with channels the kernel or other drivers create; prefer RPMSG_ADDR_ANY or an address of 1024 or above."
        )
    }
}
