/// Sorts each answer into intact, late, duplicated, truncated, corrupted or other data, by the sequence number it carries.
struct AnswerTracker {
    private(set) var roundTrips: [Double] = []
    private var answeredSequences = Set<UInt32>()
    private var counts = ProbeReport.Counts()

    /// Records one answer while waiting for `sequence`. Returns true when it is the answer to `sequence`
    /// (right or wrong), false when it belongs to an earlier message and the wait goes on.
    mutating func classify(_ answer: [UInt8], to sequence: UInt32, sent: [UInt8], expectation: ProbeOptions.Expectation,
                           roundTripMicroseconds: Double) -> Bool {
        counts.answered += 1
        guard expectation == .echo else {
            answeredSequences.insert(sequence)
            counts.intact += 1
            roundTrips.append(roundTripMicroseconds)
            return true
        }
        if answer == sent {
            // The common case, without decoding: the echo of the message awaited, byte for byte.
            answeredSequences.insert(sequence)
            counts.intact += 1
            roundTrips.append(roundTripMicroseconds)
            return true
        }
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

    func counts(sent: Int) -> ProbeReport.Counts {
        var result = counts
        result.sent = sent
        result.lost = max(0, sent - answeredSequences.count)
        return result
    }
}
