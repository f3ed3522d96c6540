/// What rpmsg-doctor could not see, said plainly, so that an unprivileged scan is honest about its limits.
enum ReadingRules {
    static func findings(_ snapshot: Snapshot) -> [Finding] {
        var findings: [Finding] = []
        if !snapshot.kernelLog.readable {
            findings.append(Finding(
                .kernelLogUnreadable, .info,
                "Kernel log not read: \(snapshot.kernelLog.reason ?? "unknown reason"); findings that need it are not checked",
                evidence: ["\(snapshot.kernelLog.source ?? "/dev/kmsg"): \(snapshot.kernelLog.reason ?? "not readable")"],
                fix: "Run again with sudo, or as a user with CAP_SYSLOG, to include the kernel log.",
                commands: ["sudo rpmsg-doctor scan"]
            ))
        }
        if !snapshot.unreadable.isEmpty {
            findings.append(Finding(
                .partlyUnreadable, .info, "\(snapshot.unreadable.count) path\(snapshot.unreadable.count == 1 ? "" : "s") could not be read",
                evidence: snapshot.unreadable.prefix(20).map { "\($0.path): \($0.error)" },
                fix: "What depends on these paths is left out. Missing or malformed sysfs attributes can also mean a vendor kernel with another layout: attach a snapshot to your report.",
                commands: ["rpmsg-doctor snapshot -o rpmsg-snapshot.json"]
            ))
        }
        return findings
    }
}
