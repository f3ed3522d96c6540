/// The probe's verdicts for people, one line per step in the style of v4l2-compliance, then a total.
public struct ProbeText {
    public let report: ProbeReport
    public let style: Style

    public init(_ report: ProbeReport, style: Style) {
        self.report = report
        self.style = style
    }

    public func render() -> String {
        var lines = ["probe \(TerminalSafe.text(report.target))" + (report.src.map { "  src \($0.hex)" } ?? "")]
        for step in report.steps {
            let detail = step.detail.isEmpty ? "" : ": " + TerminalSafe.text(step.detail)
            lines.append("  \(verdict(step.verdict)) \(TerminalSafe.text(step.name))\(detail)")
        }
        if let timing = report.timing {
            lines.append(String(
                format: "  round trip: min %.0f us, median %.0f us, p99 %.0f us, max %.0f us; %.0f messages/s, %.0f bytes/s",
                timing.minimumMicroseconds, timing.medianMicroseconds, timing.p99Microseconds, timing.maximumMicroseconds,
                timing.messagesPerSecond, timing.bytesPerSecond
            ))
        }
        if let interrupted = report.interrupted { lines.append("  interrupted by \(interrupted.rawValue): endpoint cleaned up") }
        let failed = report.steps.count { $0.verdict == .failed }
        let warnings = report.steps.count { $0.verdict == .warning }
        let passed = report.steps.count { $0.verdict == .ok }
        lines.append("total: \(report.steps.count), succeeded: \(passed), failed: \(failed), warnings: \(warnings)")
        if !report.findings.isEmpty {
            lines.append("")
            lines += FindingText(style: style).lines(for: report.findings)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func verdict(_ verdict: ProbeReport.Verdict) -> String {
        switch verdict {
        case .ok: style.enabled ? "\u{1B}[32mOK  \u{1B}[0m" : "OK  "
        case .failed: style.enabled ? "\u{1B}[1;31mFAIL\u{1B}[0m" : "FAIL"
        case .warning: style.enabled ? "\u{1B}[33mWARN\u{1B}[0m" : "WARN"
        case .skipped: "SKIP"
        }
    }
}
