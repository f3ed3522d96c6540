#if canImport(Glibc)
import Glibc
#endif

public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point; never goes back.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
