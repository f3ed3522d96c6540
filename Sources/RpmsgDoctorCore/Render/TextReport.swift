/// The scan report for people: a header, the inventory tree, then each finding with its evidence and fix.
public struct TextReport {
    public let report: ScanReport
    public let style: Style

    public init(_ report: ScanReport, style: Style) {
        self.report = report
        self.style = style
    }

    public func render() -> String {
        let snapshot = report.inventory
        let user = snapshot.user
        var lines = [
            "\(report.generator)  kernel \(TerminalSafe.text(snapshot.system.kernelRelease ?? "unknown"))  source \(TerminalSafe.text(snapshot.source))  uid \(user.uid)"
                + (user.userName.map { "(\(TerminalSafe.text($0)))" } ?? ""),
            "",
        ]
        lines += InventoryText(snapshot: snapshot, style: style).lines()
        for finding in report.findings {
            lines.append("")
            lines += findingLines(finding)
        }
        lines.append("")
        let summary = report.summary
        lines.append("\(summary.errors) error\(summary.errors == 1 ? "" : "s"), \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"), \(summary.info) note\(summary.info == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    private func findingLines(_ finding: Finding) -> [String] {
        var lines = ["\(style.severity(finding.severity))[\(finding.id)] \(style.bold(TerminalSafe.text(finding.summary)))"]
        for (offset, item) in finding.evidence.enumerated() {
            lines.append((offset == 0 ? "  evidence: " : "            ") + TerminalSafe.text(item))
        }
        lines.append("  fix: " + TerminalSafe.text(finding.fix))
        lines += finding.commands.map { "    $ " + TerminalSafe.text($0) }
        lines.append("  see: " + style.dim(finding.page))
        return lines
    }
}
