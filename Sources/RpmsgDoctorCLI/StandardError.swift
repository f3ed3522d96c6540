#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore

/// Messages for people on standard error: only safe text, so a path or name in a message cannot drive the terminal.
func printToStandardError(_ message: SafeText, newline: Bool = true) {
    writeAll(message.text + (newline ? "\n" : ""), to: STDERR_FILENO)
}

/// A line at once, unbuffered: watch's output is read while it runs (a pipe, a log).
func writeToStandardOutput(_ text: String) {
    writeAll(text, to: STDOUT_FILENO)
}

private func writeAll(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return }
        written += count
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
func standardOutputWantsColor() -> Bool {
    isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
}
