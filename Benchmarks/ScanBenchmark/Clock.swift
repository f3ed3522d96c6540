import RpmsgDoctorCore

/// Wall-clock time of a piece of work, from the monotonic clock.
enum Clock {
    static func seconds() -> Double { MonotonicClock.now() }

    static func measure<Result>(_ work: () throws -> Result) rethrows -> (result: Result, seconds: Double) {
        let start = seconds()
        let result = try work()
        return (result, seconds() - start)
    }
}

extension Array where Element == Double {
    var median: Double {
        let sorted = self.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
