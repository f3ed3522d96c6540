#if canImport(Glibc)
import Glibc
#endif

extension ProbeReport {
    /// One thing the probe did, and how it went. The verdict follows from the outcome, and the words people read
    /// (`name`, `detail`) are rendered from both; the diagnosis reads the values, never the words.
    public struct Step: Equatable, Sendable {
        public var action: Action
        public var outcome: Outcome

        public init(_ action: Action, _ outcome: Outcome) {
            self.action = action
            self.outcome = outcome
        }

        public var verdict: Verdict { outcome.verdict }
        public var name: String { action.description }
        public var detail: String { outcome.description }
    }

    /// What a step did.
    public enum Action: Equatable, Sendable, CustomStringConvertible {
        case findTarget
        case open(String)
        /// Refusing an explicit src that scan knows is taken, before making an endpoint that could not be destroyed.
        case checkSource(RpmsgAddress)
        case createEndpoint(name: String, src: RpmsgAddress, dst: RpmsgAddress)
        case findEndpointDevice
        case endpointNode(String)
        case writeMessage(UInt32)
        case readAnswer(UInt32)
        case writeMessages(count: Int, bytes: Int)
        case receiveAnswers
        case checkAnswers(ProbeOptions.Expectation)
        /// With no answer at all: more messages, to tell a remote that is silent from one that does not consume.
        case consumptionCheck
        case destroyEndpoint(String)
        /// Saving a tty's settings and putting it in raw mode.
        case rawMode(String)
        case restoreTerminal(String)
        /// The endpoint got no answer: a few messages through the same channel's tty tell a dead remote from a bad endpoint.
        case compareWithTTY(String)

        public var description: String {
            switch self {
            case .findTarget: "find target"
            case .open(let path): "open \(path)"
            case .checkSource(let src): "check src \(src.hex)"
            case .createEndpoint(let name, let src, let dst): "create endpoint (name \"\(name)\" src \(src.hex) dst \(dst.hex))"
            case .findEndpointDevice: "find endpoint device"
            case .endpointNode(let path): "endpoint node \(path)"
            case .writeMessage(let sequence): "write message \(sequence)"
            case .readAnswer(let sequence): "read answer \(sequence)"
            case .writeMessages(let count, let bytes): "write \(count) messages of \(bytes) bytes"
            case .receiveAnswers: "answers received"
            case .checkAnswers(let expectation): "answers checked (\(expectation.rawValue))"
            case .consumptionCheck: "consumption check"
            case .destroyEndpoint(let path): "destroy endpoint \(path)"
            case .rawMode(let path): "raw mode \(path)"
            case .restoreTerminal(let path): "restore terminal settings \(path)"
            case .compareWithTTY(let path): "compare with \(path), the channel's tty"
            }
        }
    }

    /// How the answers to the probe's messages were sorted.
    public struct AnswerSorting: Equatable, Sendable {
        public var intact: Int
        public var truncated: Int
        public var corrupted: Int
        public var otherData: Int
        public var duplicated: Int

        /// Answers that are not what was expected.
        public var damaged: Int { truncated + corrupted + otherData + duplicated }
    }

    /// How a step went.
    public enum Outcome: Equatable, Sendable, CustomStringConvertible {
        /// It worked, and there is nothing to add.
        case done
        case targetFound(String)
        /// Nothing to probe: the finding that says why.
        case targetNotFound(FindingCode, summary: String)
        case systemCall(SystemCallError)
        /// Scan knows the src is held (RD504): its summary.
        case sourceTaken(summary: String)
        /// RPMSG_CREATE_EPT_IOCTL succeeded, but no new device appeared in /sys/class/rpmsg.
        case noNewDevice
        /// `udevDone` is nil when udevd does not run.
        case nodeAppeared(milliseconds: Int, udevDone: Bool?)
        case nodeMissing(milliseconds: Int)
        case accepted(Int, of: Int)
        /// `answered` of `sent` messages had their answer within the timeout (or later, `late` of them).
        case answered(Int, of: Int, timeoutMilliseconds: Int, late: Int)
        case sorted(AnswerSorting)
        /// Writes found no free TX buffer for the whole timeout, after `after` messages: the remote does not consume.
        case txRingFull(after: Int, timeoutMilliseconds: Int)
        /// That many further messages were consumed although none was answered: the remote is silent.
        case consumed(Int)
        /// The consumption check is not needed: scan's finding explains the silence.
        case notNeeded(explainedBy: FindingCode)
        /// The endpoint was already gone with its virtio device when the probe came to destroy it.
        case removedByKernel
        /// The endpoint could not be opened, so it could not be destroyed.
        case leftBehind
        /// The channel's tty answered `answered` of `sent` messages while the endpoint answered none or fewer.
        case ttyAnswered(Int, of: Int, timeoutMilliseconds: Int)
        /// A tty gone with its virtio device: there is nothing left to restore.
        case ttyGone

        public var verdict: Verdict {
            switch self {
            case .done, .targetFound, .nodeAppeared, .consumed, .removedByKernel, .ttyGone: .ok
            case .ttyAnswered(let answered, _, _): answered > 0 ? .ok : .failed
            case .targetNotFound, .systemCall, .sourceTaken, .noNewDevice, .nodeMissing, .txRingFull: .failed
            case .accepted(let accepted, let count): accepted == count ? .ok : .failed
            case .answered(let answered, let sent, _, _): answered == sent ? .ok : .failed
            case .sorted(let sorting): sorting.damaged == 0 ? .ok : .failed
            case .notNeeded: .skipped
            case .leftBehind: .warning
            }
        }

        public var description: String {
            switch self {
            case .done: ""
            case .targetFound(let target): target
            case .targetNotFound(_, let summary), .sourceTaken(let summary): summary
            case .systemCall(let error): error.name + ": " + String(cString: strerror(error.code))
            case .noNewDevice: "no new device in /sys/class/rpmsg after RPMSG_CREATE_EPT_IOCTL"
            case .nodeAppeared(let milliseconds, let udevDone):
                "appeared after \(milliseconds) ms" + (udevDone.map { $0 ? ", udev done" : ", udev not done yet" } ?? "")
            case .nodeMissing(let milliseconds): "did not appear within \(milliseconds) ms"
            case .accepted(let accepted, let count): "\(accepted) of \(count) accepted"
            case .answered(let answered, let sent, let timeout, let late):
                "\(answered) of \(sent) answered within \(timeout) ms" + (late > 0 ? ", \(late) late" : "")
            case .sorted(let s):
                "\(s.intact) intact, \(s.truncated) truncated, \(s.corrupted) corrupted, \(s.otherData) other data, \(s.duplicated) duplicated"
            case .txRingFull(let after, let timeout):
                "the TX ring filled after \(after) message\(after == 1 ? "" : "s") and stayed full for \(timeout) ms: the remote does not consume"
            case .consumed(let count): "\(count) further messages were consumed: the remote receives but does not answer"
            case .notNeeded(let code): "not needed: \(code.rawValue) explains the silence"
            case .removedByKernel: "already removed by the kernel with its virtio device"
            case .leftBehind:
                "it could not be opened, and the kernel destroys an endpoint device only through an open descriptor: it stays until its virtio device goes away"
            case .ttyAnswered(let answered, let sent, let timeout):
                "\(answered) of \(sent) answered within \(timeout) ms: "
                    + (answered > 0 ? "the remote is alive, the endpoint is the problem" : "the remote does not answer through its tty either")
            case .ttyGone: "the tty is gone with its virtio device"
            }
        }
    }
}

// MARK: JSON

extension ProbeReport.Step: Encodable {
    private enum CodingKeys: String, CodingKey { case name, verdict, detail }

    /// The words people read; programs read `verdict`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(detail, forKey: .detail)
    }
}
