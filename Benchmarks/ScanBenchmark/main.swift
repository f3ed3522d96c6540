#if canImport(Glibc)
import Glibc
#endif

/// Builds each case's fixture tree once, scans it `options.runs` times each way, and removes it again.
func measureAll(_ options: BenchmarkOptions) throws -> ResultTable {
    var table = ResultTable(runs: options.runs)
    for benchmarkCase in BenchmarkCase.all {
        printToStandardError("building \(benchmarkCase.name)")
        let board = try benchmarkCase.build()
        defer { board.remove() }
        printToStandardError("scanning \(benchmarkCase.name)")
        let commandLine = try CommandLineScan.median(cli: options.cli, root: board.root, runs: options.runs)
        let inProcess = try InProcessScan.median(root: board.root, runs: options.runs)
        table.add(benchmarkCase, commandLine: commandLine, inProcess: inProcess)
    }
    return table
}

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    printToStandardError(BenchmarkOptions.usage)
    exit(64)
}
guard access(options.cli, X_OK) == 0 else {
    printToStandardError("no rpmsg-doctor at \(options.cli): run `swift build -c release` first, or pass --cli PATH")
    exit(66)
}
do {
    print(try measureAll(options).markdown, terminator: "")
    var status = stat()
    if stat(options.cli, &status) == 0 {
        print("\nSize of the `rpmsg-doctor` binary, unstripped: \(status.st_size / 1024) KiB.")
    }
} catch {
    printToStandardError("rpmsg-doctor-bench: \(error)")
    exit(1)
}
