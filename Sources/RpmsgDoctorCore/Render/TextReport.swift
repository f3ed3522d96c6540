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
        var lines: [SafeText] = [
            "\(report.generator)  kernel \(snapshot.system.kernelRelease ?? "unknown")  source \(report.origin)  uid \(user.uid)"
                + (user.userName.map { "(\($0))" } ?? ""),
            "",
        ]
        lines += InventoryText(snapshot: snapshot, style: style).lines()
        if !report.findings.isEmpty {
            lines.append("")
            lines += FindingText(style: style).lines(for: report.findings)
        }
        lines.append("")
        let summary = report.summary
        lines.append("\(summary.errors) error\(summary.errors == 1 ? "" : "s"), \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"), \(summary.info) note\(summary.info == 1 ? "" : "s")")
        return lines.document
    }
}
