#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore

/// A one-line counter on standard error for long probes, only on a terminal.
final class LiveCounter {
    static let minimumMessages = 50
    private let total: Int
    private var lastDrawn = -Double.infinity

    init?(total: Int) {
        guard total >= Self.minimumMessages, isatty(STDERR_FILENO) == 1 else { return nil }
        self.total = total
    }

    func update(_ counts: ProbeReport.Counts) {
        let now = MonotonicClock.now()
        guard now - lastDrawn >= 0.1 || counts.sent == total else { return }
        lastDrawn = now
        printToStandardError("\r  sent \(counts.sent)/\(total)  answered \(counts.answered)  lost \(counts.lost)", newline: false)
    }

    func finish() { printToStandardError("") }
}
