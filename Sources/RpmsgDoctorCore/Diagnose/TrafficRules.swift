/// Failure modes 16 to 19: what the kernel log says about messages, and local addresses.
enum TrafficRules {
    static func findings(_ index: TopologyIndex, intent: Intent) -> [Finding] {
        let log = KernelLogScan(index.snapshot.kernelLog)
        var findings: [Finding] = []
        if let lines = log.matches("message is too big") {
            findings.append(Finding(
                .messageTooBig, .warning, "A write was over the 496-byte payload limit and failed with EMSGSIZE",
                evidence: lines + ["virtio rpmsg buffers are 512 bytes with a 16-byte header"],
                fix: "Split messages into payloads of at most 496 bytes."
            ))
        }
        if let lines = log.matches("timeout waiting for a tx buffer") {
            findings.append(Finding(
                .remoteNotConsuming, .error, "The remote stopped consuming messages: writes waited 15 s for a free buffer",
                evidence: lines,
                fix: "Fix the remote's receive path: it must return buffers and kick the host (check its interrupt and mailbox setup). Use O_NONBLOCK on Linux to fail fast with EAGAIN.",
                commands: ["rpmsg-doctor probe"]
            ))
        }
        if let lines = log.matches("msg received with no recipient") {
            let live = index.snapshot.endpointDevices.compactMap { endpoint in endpoint.src.map { "\(endpoint.node.path): src \($0.hex)" } }
            findings.append(Finding(
                .noRecipient, .warning, "The remote sent to a local address nobody listens on",
                evidence: lines + (live.isEmpty ? ["no endpoint device is open now"] : live),
                fix: "The remote answers an old or destroyed address: keep your endpoint open while you expect answers, or use a fixed src (>= 1024) the firmware knows."
            ))
        }
        if let lines = log.matches("idr_alloc failed") {
            findings.append(Finding(
                .addressTaken, .warning, "Opening an endpoint failed with EINVAL: its src address was taken",
                evidence: lines,
                fix: "Use src RPMSG_ADDR_ANY (0xffffffff) for a dynamic address, or a free one of 1024 or above."
            ))
        }
        if let intended = intendedSource(intent, index) { findings.append(intended) }
        return findings
    }

    private static func intendedSource(_ intent: Intent, _ index: TopologyIndex) -> Finding? {
        guard let src = intent.src, !src.isAny else { return nil }
        let virtio = intent.control.flatMap { index.control(named: $0)?.virtio }
        let holders = index.snapshot.endpointDevices.filter { $0.src == src && (virtio == nil || $0.virtio == virtio) }
        if src == .nameService || !holders.isEmpty {
            return Finding(
                .addressTaken, .error,
                "src \(src.hex) is " + (src == .nameService ? "the name-service address" : "already used by \(holders.map(\.node.path).joined(separator: ", "))") + ": open() will fail with EINVAL",
                evidence: holders.map { "\($0.node.path): src \(src.hex) on \($0.virtio ?? "?")" } + (src == .nameService ? ["address 53 is reserved for the name service"] : []),
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
