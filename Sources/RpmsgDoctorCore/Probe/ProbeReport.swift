/// What the probe did, one verdict per step, the message counts and timings, and the diagnosis.
public struct ProbeReport: Encodable, Equatable, Sendable {
    public enum Verdict: String, Codable, Sendable { case ok, failed, warning, skipped }

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
    /// What a comparison with the channel's tty found: its messages and answers.
    public struct Comparison: Codable, Equatable, Sendable {
        public var tty: String
        public var sent: Int
        public var answered: Int
    }

    public var target: String
    public var control: String?
    public var endpoint: String?
    /// The rpmsg tty messages went through, when the target is one.
    public var tty: String?
    public var src: RpmsgAddress?
    public var dst: RpmsgAddress?
    public var expectation: ProbeOptions.Expectation
    public var steps: [Step] = []
    public var counts = Counts()
    public var timing: Timing?
    /// The signal that stopped the probe early; in JSON its name, "SIGINT", "SIGTERM" or "SIGHUP".
    public var interrupted: ProbeSignal?
    /// When the endpoint got no answer: the same channel's tty, tried with a few messages.
    public var comparison: Comparison?
    public var findings: [Finding] = []

    mutating func record(_ action: Action, _ outcome: Outcome) {
        steps.append(Step(action, outcome))
    }

    public var passed: Bool { !steps.contains { $0.verdict == .failed } && interrupted == nil }

    /// The system call that stopped the probe, if one did (a failed destroy or restore comes after everything and stops
    /// nothing; the comparison with a tty is another device's).
    public var failedCall: SystemCallError? {
        for step in steps {
            switch step.action {
            case .destroyEndpoint, .restoreTerminal, .compareWithTTY: continue
            default: break
            }
            if case .systemCall(let error) = step.outcome { return error }
        }
        return nil
    }

    /// Whether writes found the TX ring full for a whole timeout, and after how many messages.
    public var txRingFull: Int? {
        for step in steps {
            if case .txRingFull(let after, _) = step.outcome { return after }
        }
        return nil
    }
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

extension ProbeReport.Counts {
    /// How the answers were sorted, without the counts of messages.
    public var sorting: ProbeReport.AnswerSorting {
        ProbeReport.AnswerSorting(intact: intact, truncated: truncated, corrupted: corrupted, otherData: otherData, duplicated: duplicated)
    }
}
