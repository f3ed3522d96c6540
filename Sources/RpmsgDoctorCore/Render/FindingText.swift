/// Findings for people: severity and code, summary, evidence, fix with its commands, and how to read its page.
struct FindingText {
    let style: Style

    func lines(for findings: [Finding]) -> [String] {
        findings.map(lines(for:)).joined(separator: [""]).map { $0 }
    }

    func lines(for finding: Finding) -> [String] {
        var lines = ["\(style.severity(finding.severity))[\(finding.id.rawValue)] \(style.bold(TerminalSafe.text(finding.summary)))"]
        for (offset, item) in finding.evidence.enumerated() {
            lines.append((offset == 0 ? "  evidence: " : "            ") + TerminalSafe.text(item))
        }
        lines.append("  fix: " + TerminalSafe.text(finding.fix))
        lines += finding.commands.map { "    $ " + TerminalSafe.text($0) }
        lines.append("  see: " + style.dim(finding.id.explainCommand))
        return lines
    }
}
