import Foundation

/// The benchmark's Markdown table: one row per case.
struct ResultTable {
    let runs: Int
    private var rows: [String] = []

    init(runs: Int) { self.runs = runs }

    mutating func add(_ benchmarkCase: BenchmarkCase, commandLine: CommandLineScan, inProcess: InProcessScan) {
        let cells = [
            benchmarkCase.name,
            "\(benchmarkCase.channels)",
            Self.format(commandLine.seconds * 1e3),
            benchmarkCase.isScalingStep ? Self.format(commandLine.seconds * 1e6 / Double(benchmarkCase.channels)) : "–",
            Self.format(Double(commandLine.maxResidentKiB) / 1024),
            Self.format(inProcess.discoverSeconds * 1e3),
            Self.format(inProcess.diagnoseSeconds * 1e3),
            Self.format(inProcess.renderSeconds * 1e3),
        ]
        rows.append("| " + cells.joined(separator: " | ") + " |")
    }

    var markdown: String {
        let header = """
            | board | channels | `scan` ms | µs per channel | peak RSS MiB | discover ms | diagnose ms | render ms |
            |---|--:|--:|--:|--:|--:|--:|--:|
            """
        let note = "\n`scan` ms: median of \(runs) runs of `rpmsg-doctor scan --root DIR` as a child process, spawn to exit; "
            + "peak RSS: its largest ru_maxrss. discover / diagnose / render: medians of the same stages run in process.\n"
        return ([header] + rows).joined(separator: "\n") + "\n" + note
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
