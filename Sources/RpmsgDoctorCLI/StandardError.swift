#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore

/// Messages for people on standard error: only safe text, so a path or name in a message cannot drive the terminal.
func printToStandardError(_ message: SafeText, newline: Bool = true) {
    let bytes = Array((message.text + (newline ? "\n" : "")).utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return }
        written += count
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
func standardOutputWantsColor() -> Bool {
    isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
}
