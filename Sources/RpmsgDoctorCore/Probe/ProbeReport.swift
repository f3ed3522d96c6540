/// What the probe did, one verdict per step, the message counts and timings, and the diagnosis.
public struct ProbeReport: Codable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable { case ok, failed, warning, skipped }

    public struct Step: Codable, Equatable, Sendable {
        public var name: String
        public var verdict: Verdict
        public var detail: String
    }

    public struct Counts: Codable, Equatable, Sendable {
        public var sent = 0
        public var answered = 0
        public var intact = 0
        public var lost = 0
        public var late = 0
        public var duplicated = 0
        public var truncated = 0
        public var corrupted = 0
        public var otherData = 0
    }

    public struct Timing: Codable, Equatable, Sendable {
        public var minimumMicroseconds: Double
        public var medianMicroseconds: Double
        public var p99Microseconds: Double
        public var maximumMicroseconds: Double
        public var messagesPerSecond: Double
        public var bytesPerSecond: Double
    }

    public var schemaVersion = Snapshot.currentSchemaVersion
    public var generator = ToolVersion.description
    public var target: String
    public var control: String?
    public var endpoint: String?
    public var src: RpmsgAddress?
    public var dst: RpmsgAddress?
    public var expectation: String
    public var steps: [Step] = []
    public var counts = Counts()
    public var timing: Timing?
    public var interrupted: String?
    public var findings: [Finding] = []

    mutating func record(_ name: String, _ verdict: Verdict, _ detail: String) {
        steps.append(Step(name: name, verdict: verdict, detail: detail))
    }

    public var passed: Bool { !steps.contains { $0.verdict == .failed } && interrupted == nil }
}

extension ProbeReport.Timing {
    /// Statistics of round trips in microseconds over the probe's whole elapsed time.
    init?(roundTrips: [Double], elapsedSeconds: Double, bytesPerMessage: Int) {
        guard !roundTrips.isEmpty else { return nil }
        let sorted = roundTrips.sorted()
        func percentile(_ fraction: Double) -> Double {
            sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
        }
        let rate = elapsedSeconds > 0 ? Double(sorted.count) / elapsedSeconds : 0
        self.init(
            minimumMicroseconds: sorted[0], medianMicroseconds: percentile(0.5), p99Microseconds: percentile(0.99),
            maximumMicroseconds: sorted[sorted.count - 1], messagesPerSecond: rate, bytesPerSecond: rate * Double(bytesPerMessage)
        )
    }
}
