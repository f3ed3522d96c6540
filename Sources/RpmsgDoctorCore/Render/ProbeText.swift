/// The probe's verdicts for people, one line per step in the style of v4l2-compliance, then a total.
public struct ProbeText {
    public let report: ProbeReport
    public let style: Style

    public init(_ report: ProbeReport, style: Style) {
        self.report = report
        self.style = style
    }

    public func render() -> String {
        var lines: [SafeText] = ["probe \(report.target)" + (report.src.map { "  src \($0.hex)" } ?? "")]
        for step in report.steps {
            lines.append("  \(verdict(step.verdict)) \(step.name)" + (step.detail.isEmpty ? "" : ": \(step.detail)"))
        }
        if let timing = report.timing {
            let whole = { (value: Double) in value.isFinite ? Int(value.rounded()) : 0 }
            lines.append("  round trip: min \(whole(timing.minimumMicroseconds)) us, median \(whole(timing.medianMicroseconds)) us, "
                + "p99 \(whole(timing.p99Microseconds)) us, max \(whole(timing.maximumMicroseconds)) us; "
                + "\(whole(timing.messagesPerSecond)) messages/s, \(whole(timing.bytesPerSecond)) bytes/s")
        }
        if let interrupted = report.interrupted {
            lines.append("  interrupted by \(interrupted.rawValue): " + (report.tty != nil ? "terminal settings restored" : "endpoint cleaned up"))
        }
        let failed = report.steps.count { $0.verdict == .failed }
        let warnings = report.steps.count { $0.verdict == .warning }
        let passed = report.steps.count { $0.verdict == .ok }
        lines.append("total: \(report.steps.count), succeeded: \(passed), failed: \(failed), warnings: \(warnings)")
        if !report.findings.isEmpty {
            lines.append("")
            lines += FindingText(style: style).lines(for: report.findings)
        }
        return lines.document
    }

    private func verdict(_ verdict: ProbeReport.Verdict) -> SafeText {
        switch verdict {
        case .ok: style.green("OK  ")
        case .failed: style.red("FAIL")
        case .warning: style.yellow("WARN")
        case .skipped: "SKIP"
        }
    }
}
