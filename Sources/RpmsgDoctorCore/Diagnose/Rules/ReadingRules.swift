// What rpmsg-doctor could not see, said plainly, so that an unprivileged scan is honest about its limits.

struct KernelLogUnreadableRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.kernelLogUnreadable]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let log = context.snapshot.kernelLog
        guard !log.readable else { return [] }
        return [Finding(
            .kernelLogUnreadable, "Kernel log not read: \(log.reason ?? "unknown reason"); findings that need it are not checked",
            evidence: ["\(log.source ?? "/dev/kmsg"): \(log.reason ?? "not readable")"],
            remedy: context.snapshot.source == "live"
                ? .readKernelLog(missing: log.reason == ReadError.missing.description, asRoot: context.snapshot.user.isRoot)
                : .copyKernelLog
        )]
    }
}

struct PartlyUnreadableRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.partlyUnreadable]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let unreadable = context.snapshot.unreadable
        guard !unreadable.isEmpty else { return [] }
        return [Finding(
            .partlyUnreadable, "\(unreadable.count) path\(unreadable.count == 1 ? "" : "s") could not be read",
            evidence: unreadable.prefix(20).map { "\($0.path): \($0.error)" }, remedy: .attachSnapshot
        )]
    }
}
