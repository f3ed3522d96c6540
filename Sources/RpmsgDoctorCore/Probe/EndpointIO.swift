#if canImport(Glibc)
import Glibc
#endif

/// Non-blocking reads and writes on an endpoint, each bounded by a deadline and interrupted by SIGINT or SIGTERM.
/// Generic rather than over existentials: the exchange loop makes exactly its system calls and nothing more.
struct EndpointIO<Devices: ProbeDevices, Clock: ProbeClock> {
    enum Outcome: Equatable {
        case done(Int)
        case timedOut
        case interrupted(ProbeSignal)
        case failed(Int32)
    }

    let fd: Int32
    let devices: Devices
    let clock: Clock

    /// Writes without waiting when the ring has room; otherwise waits for room up to `timeoutMilliseconds`.
    func write(_ bytes: UnsafeRawBufferPointer, timeoutMilliseconds: Int) -> Outcome {
        var deadline: Double?
        while true {
            let code: Int32
            switch devices.write(fd, bytes) {
            case .done(let count): return .done(count)
            case .failed(let failure): code = failure
            }
            // Before 5.18 a full TX ring gives ENOMEM with O_NONBLOCK, from 5.18 EAGAIN.
            guard code == EAGAIN || code == ENOMEM || code == EINTR else { return .failed(code) }
            let now = clock.now()
            let until = deadline ?? now + Double(timeoutMilliseconds) / 1000
            deadline = until
            switch wait(for: .writable, deadline: until, now: now) {
            case .done: continue
            case let other: return other
            }
        }
    }

    /// Waits for an answer, then reads it. `now` saves a clock call: each costs a system call on some kernels.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Double, now: Double) -> Outcome {
        var clock = now
        while true {
            switch wait(for: .readable, deadline: deadline, now: clock) {
            case .done: break
            case let other: return other
            }
            switch devices.read(fd, into: buffer) {
            case .done(let count): return .done(count)
            case .failed(let code) where code == EAGAIN || code == EINTR: clock = self.clock.now()
            case .failed(let code): return .failed(code)
            }
        }
    }

    /// Sleeps until the deadline unless a signal comes: the signal, or nil when the time is over.
    func pause(until deadline: Double) -> ProbeSignal? {
        while true {
            let remaining = Self.milliseconds(from: clock.now(), until: deadline)
            if remaining <= 0 { return nil }
            if let signal = devices.sleep(milliseconds: remaining) { return signal }
        }
    }

    /// Polls the endpoint and the signals together until the endpoint is ready or the deadline passes.
    private func wait(for readiness: Readiness, deadline: Double, now: Double) -> Outcome {
        var clock = now
        while true {
            let remaining = Self.milliseconds(from: clock, until: deadline)
            if remaining <= 0 { return .timedOut }
            switch devices.wait(for: readiness, on: fd, milliseconds: remaining) {
            case .ready: return .done(0)
            case .signal(let signal): return .interrupted(signal)
            case .failed(let code): return .failed(code)
            case .timedOut: clock = self.clock.now()
            }
        }
    }

    static func milliseconds(from now: Double, until deadline: Double) -> Int32 {
        Int32(max(0, min(Double(Int32.max), ((deadline - now) * 1000).rounded(.up))))
    }
}
