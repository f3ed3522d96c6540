#if canImport(Glibc)
import Glibc
#endif

/// The probe's time: seconds on a clock that never goes back. `MonotonicClock` reads the kernel's; tests use a
/// clock of their own that moves only when their scripted remote says so.
protocol ProbeClock {
    /// Seconds since an arbitrary fixed point.
    func now() -> Double
}

public struct MonotonicClock: ProbeClock {
    public init() {}

    public func now() -> Double { Self.now() }

    /// Seconds since an arbitrary fixed point; never goes back.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
