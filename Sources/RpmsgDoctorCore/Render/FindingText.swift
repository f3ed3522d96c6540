/// Findings for people: severity and code, summary, evidence, fix with its commands, and how to read its page.
struct FindingText {
    let style: Style

    func lines(for findings: [Finding]) -> [SafeText] {
        var lines: [SafeText] = []
        for (offset, finding) in findings.enumerated() {
            if offset > 0 { lines.append("") }
            lines += self.lines(for: finding)
        }
        return lines
    }

    func lines(for finding: Finding) -> [SafeText] {
        var lines: [SafeText] = ["\(style.severity(finding.severity))[\(finding.id.rawValue)] \(style.bold(SafeText(finding.summary)))"]
        for (offset, item) in finding.evidence.enumerated() {
            lines.append(offset == 0 ? "  evidence: \(item)" : "            \(item)")
        }
        lines.append("  fix: \(finding.fix)")
        lines += finding.commands.map { "    $ \($0)" }
        lines.append("  see: \(style.dim(SafeText(finding.id.explainCommand)))")
        return lines
    }
}
