// Failure mode 19: the local address the user means to take.

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
