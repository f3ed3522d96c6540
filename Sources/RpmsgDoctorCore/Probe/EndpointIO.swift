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

    func write(_ bytes: [UInt8], deadline: Double) -> Outcome {
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return .done(count) }
            let code = errno
            // Before 5.18 a full TX ring gives ENOMEM with O_NONBLOCK, from 5.18 EAGAIN.
            guard code == EAGAIN || code == ENOMEM || code == EINTR else { return .failed(code) }
            switch wait(for: Int16(POLLOUT), deadline: deadline) {
            case .done: continue
            case let other: return other
            }
        }
    }

    func read(into buffer: inout [UInt8], deadline: Double) -> Outcome {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return .done(count) }
            let code = errno
            guard code == EAGAIN || code == EINTR else { return .failed(code) }
            switch wait(for: Int16(POLLIN), deadline: deadline) {
            case .done: continue
            case let other: return other
            }
        }
    }

    /// Sleeps until the deadline unless a signal comes.
    func pause(until deadline: Double) -> Bool {
        var fds = [pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        while MonotonicClock.now() < deadline {
            _ = poll(&fds, 1, Self.milliseconds(until: deadline))
            if signals.check() != nil { return false }
        }
        return true
    }

    private func wait(for events: Int16, deadline: Double) -> Outcome {
        var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)]
        while true {
            if signals.check() != nil { return .interrupted }
            let remaining = Self.milliseconds(until: deadline)
            if remaining <= 0 { return .timedOut }
            let ready = poll(&fds, 2, remaining)
            if ready < 0 && errno != EINTR { return .failed(errno) }
            if signals.check() != nil { return .interrupted }
            if fds[0].revents & (events | Int16(POLLERR) | Int16(POLLHUP)) != 0 { return .done(0) }
        }
    }

    private static func milliseconds(until deadline: Double) -> Int32 {
        Int32(max(0, min(Double(Int32.max), ((deadline - MonotonicClock.now()) * 1000).rounded(.up))))
    }
}
