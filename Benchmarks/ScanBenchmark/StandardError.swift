#if canImport(Glibc)
import Glibc
#endif

/// Writes one line to standard error, where progress and failures go so that standard output is only the table.
func printToStandardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
