#if canImport(Glibc)
import Glibc
#endif

/// Sorts each answer into intact, late, duplicated, truncated, corrupted or other data, by the sequence number it carries.
struct AnswerTracker {
    private(set) var roundTrips: [Double] = []
    private var answeredSequences = Set<UInt32>()
    private var counts = ProbeReport.Counts()

    init(expectedAnswers: Int = 0) {
        roundTrips.reserveCapacity(expectedAnswers)
        answeredSequences.reserveCapacity(expectedAnswers)
    }

    /// Records one answer while waiting for `sequence`. Returns true when it is the answer to `sequence`
    /// (right or wrong), false when it belongs to an earlier message and the wait goes on.
    mutating func classify(_ answer: UnsafeRawBufferPointer, to sequence: UInt32, sent: UnsafeRawBufferPointer,
                           expectation: ProbeOptions.Expectation, roundTripMicroseconds: Double) -> Bool {
        counts.answered += 1
        // The common case, without copying or decoding: the answer awaited, or the echo of the message awaited byte for byte.
        if expectation != .echo || (answer.count == sent.count && (answer.isEmpty || memcmp(answer.baseAddress!, sent.baseAddress!, answer.count) == 0)) {
            answeredSequences.insert(sequence)
            counts.intact += 1
            roundTrips.append(roundTripMicroseconds)
            return true
        }
        return classifyDamaged(Array(answer), to: sequence, sent: Array(sent))
    }

    /// Convenience for arrays.
    mutating func classify(_ answer: [UInt8], to sequence: UInt32, sent: [UInt8], expectation: ProbeOptions.Expectation,
                           roundTripMicroseconds: Double) -> Bool {
        answer.withUnsafeBytes { answer in
            sent.withUnsafeBytes { sent in
                classify(answer, to: sequence, sent: sent, expectation: expectation, roundTripMicroseconds: roundTripMicroseconds)
            }
        }
    }

    /// An echo that is not the message awaited: an earlier one's, or damaged.
    private mutating func classifyDamaged(_ answer: [UInt8], to sequence: UInt32, sent: [UInt8]) -> Bool {
        switch ProbeFrame.decode(answer) {
        case .intact(let frame) where frame.sequence == sequence:
            answeredSequences.insert(sequence)
            counts.corrupted += 1
            return true
        case .intact(let frame) where frame.sequence < sequence:
            if answeredSequences.insert(frame.sequence).inserted { counts.late += 1 } else { counts.duplicated += 1 }
            return false
        case .intact, .corrupted:
            answeredSequences.insert(sequence)
            counts.corrupted += 1
            return true
        case .truncated:
            answeredSequences.insert(sequence)
            counts.truncated += 1
            return true
        case .foreign:
            answeredSequences.insert(sequence)
            // Without our header, an answer of exactly the size sent is taken for a damaged echo; a reply of the
            // firmware's own rarely matches the probe's size.
            if answer.count < sent.count, sent.starts(with: answer) {
                counts.truncated += 1
            } else if answer.count == sent.count {
                counts.corrupted += 1
            } else {
                counts.otherData += 1
            }
            return true
        }
    }

    /// The counts after `sent` messages, of which the last `unawaited` had their wait cut short (by a signal):
    /// those are not lost, nobody waited for their answer.
    func counts(sent: Int, unawaited: Int = 0) -> ProbeReport.Counts {
        var result = counts
        result.sent = sent
        result.lost = max(0, sent - unawaited - answeredSequences.count)
        return result
    }
}
