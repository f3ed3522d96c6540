#if canImport(Glibc)
import Glibc
#endif

/// Non-blocking reads and writes on an endpoint, each bounded by a deadline and interrupted by SIGINT or SIGTERM.
struct EndpointIO {
    enum Outcome: Equatable {
        case done(Int)
        case timedOut
        case interrupted
        case failed(Int32)
    }

    let fd: Int32
    let signals: SignalWatch

    /// Writes without waiting when the ring has room; otherwise waits for room up to `timeoutMilliseconds`.
    func write(_ bytes: [UInt8], timeoutMilliseconds: Int) -> Outcome {
        var deadline: Double?
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return .done(count) }
            let code = errno
            // Before 5.18 a full TX ring gives ENOMEM with O_NONBLOCK, from 5.18 EAGAIN.
            guard code == EAGAIN || code == ENOMEM || code == EINTR else { return .failed(code) }
            let now = MonotonicClock.now()
            let until = deadline ?? now + Double(timeoutMilliseconds) / 1000
            deadline = until
            switch wait(for: Int16(POLLOUT), deadline: until, now: now) {
            case .done: continue
            case let other: return other
            }
        }
    }

    /// Waits for an answer, then reads it. `now` saves a clock call: each costs a system call on some kernels.
    func read(into buffer: inout [UInt8], deadline: Double, now: Double) -> Outcome {
        var clock = now
        while true {
            switch wait(for: Int16(POLLIN), deadline: deadline, now: clock) {
            case .done: break
            case let other: return other
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return .done(count) }
            let code = errno
            guard code == EAGAIN || code == EINTR else { return .failed(code) }
            clock = MonotonicClock.now()
        }
    }

    /// Sleeps until the deadline unless a signal comes.
    func pause(until deadline: Double) -> Bool {
        var fds = [pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        while MonotonicClock.now() < deadline {
            _ = poll(&fds, 1, Self.milliseconds(from: MonotonicClock.now(), until: deadline))
            if signals.check() != nil { return false }
        }
        return true
    }

    /// Polls the endpoint and the signal descriptor together; the signal descriptor is read only when poll says
    /// a signal is pending.
    private func wait(for events: Int16, deadline: Double, now: Double) -> Outcome {
        var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        var clock = now
        while true {
            let remaining = Self.milliseconds(from: clock, until: deadline)
            if remaining <= 0 { return .timedOut }
            let ready = poll(&fds, 2, remaining)
            if ready < 0 && errno != EINTR { return .failed(errno) }
            if fds[1].revents & Int16(POLLIN) != 0, signals.check() != nil { return .interrupted }
            if fds[0].revents & (events | Int16(POLLERR) | Int16(POLLHUP)) != 0 { return .done(0) }
            clock = MonotonicClock.now()
        }
    }

    private static func milliseconds(from now: Double, until deadline: Double) -> Int32 {
        Int32(max(0, min(Double(Int32.max), ((deadline - now) * 1000).rounded(.up))))
    }
}
