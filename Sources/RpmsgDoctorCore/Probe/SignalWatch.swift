import CRpmsg
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into a readable descriptor, so that every wait of the probe (and of watch) also
/// wakes on them, and the probe can destroy its endpoint and restore a tty's settings before it exits.
final class SignalWatch {
    let fd: Int32
    private var previousMask = sigset_t()
    private(set) var received: ProbeSignal?

    init() {
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        sigaddset(&mask, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &mask, &previousMask)
        fd = signalfd(-1, &mask, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
    }

    deinit {
        if fd >= 0 { close(fd) }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }

    /// Reads the pending signals, if any; remembers the first.
    @discardableResult
    func check() -> ProbeSignal? {
        var info = signalfd_siginfo()
        while read(fd, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            if received == nil {
                switch Int32(info.ssi_signo) {
                case SIGINT: received = .interrupt
                case SIGHUP: received = .hangup
                default: received = .terminate
                }
            }
        }
        return received
    }
}
