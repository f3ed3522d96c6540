import Testing
@testable import RpmsgDoctorCore

@Suite struct ProbeFrameTests {
    @Test func frameRoundTrips() {
        let frame = ProbeFrame(sequence: 7, totalSize: 64)
        #expect(frame.bytes.count == 64)
        #expect(ProbeFrame.decode(frame.bytes) == .intact(frame))
    }

    @Test func damageIsToldApart() {
        let bytes = ProbeFrame(sequence: 3, totalSize: 100).bytes
        #expect(ProbeFrame.decode(Array(bytes.prefix(50))) == .truncated(sequence: 3, expected: 84, received: 34))
        var flipped = bytes
        flipped[40] ^= 0xFF
        #expect(ProbeFrame.decode(flipped) == .corrupted(sequence: 3))
        #expect(ProbeFrame.decode(Array("pong".utf8)) == .foreign)
        #expect(ProbeFrame.decode([]) == .foreign)
    }

    @Test func crcIsZlibs() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

@Suite struct AnswerTrackerTests {
    private func sent(_ sequence: UInt32) -> [UInt8] { ProbeFrame(sequence: sequence, totalSize: 32).bytes }

    @Test func echoesLateAnswersAndDuplicatesAreCounted() {
        var tracker = AnswerTracker()
        let first = tracker.classify(sent(0), to: 0, sent: sent(0), expectation: .echo, roundTripMicroseconds: 10)
        // message 1 times out; its answer arrives while waiting for message 2, twice
        let late = tracker.classify(sent(1), to: 2, sent: sent(2), expectation: .echo, roundTripMicroseconds: 10)
        let duplicate = tracker.classify(sent(1), to: 2, sent: sent(2), expectation: .echo, roundTripMicroseconds: 10)
        let third = tracker.classify(sent(2), to: 2, sent: sent(2), expectation: .echo, roundTripMicroseconds: 10)
        #expect(first && !late && !duplicate && third, "only answers to the awaited message end the wait")
        let counts = tracker.counts(sent: 3)
        #expect((counts.intact, counts.late, counts.duplicated, counts.lost) == (2, 1, 1, 0))
        #expect(tracker.roundTrips.count == 2)
    }

    @Test func answersWithoutTheHeader() {
        var tracker = AnswerTracker()
        let message = sent(0)
        _ = tracker.classify(Array(message.prefix(10)), to: 0, sent: message, expectation: .echo, roundTripMicroseconds: 1)
        _ = tracker.classify(message.map { $0 ^ 0xFF }, to: 1, sent: sent(1), expectation: .echo, roundTripMicroseconds: 1)
        _ = tracker.classify(Array("pong".utf8), to: 2, sent: sent(2), expectation: .echo, roundTripMicroseconds: 1)
        let counts = tracker.counts(sent: 4)
        #expect((counts.truncated, counts.corrupted, counts.otherData, counts.lost) == (1, 1, 1, 1))
    }

    @Test func repliesCountAsAnswersWhenRepliesAreExpected() {
        var tracker = AnswerTracker()
        let answered = tracker.classify(Array("pong".utf8), to: 0, sent: sent(0), expectation: .reply, roundTripMicroseconds: 5)
        #expect(answered)
        #expect(tracker.counts(sent: 1).intact == 1)
    }
}

@Suite struct ProbeOptionsTests {
    private let target = ProbeOptions.Target.service("echo")

    @Test(arguments: [
        (ProbeOptions(target: .service("echo"), size: 497), "496"),
        (ProbeOptions(target: .service("echo"), size: 8), "at least 16"),
        (ProbeOptions(target: .service("echo"), payload: [UInt8](repeating: 65, count: 481)), "496"),
        (ProbeOptions(target: .service("echo"), count: 0), "--count"),
        (ProbeOptions(target: .service("echo"), timeoutMilliseconds: 0), "--timeout"),
        (ProbeOptions(target: .service("echo"), name: String(repeating: "n", count: 32)), "31"),
        (ProbeOptions(target: .control(path: "/dev/rpmsg_ctrl0", dst: .nameService)), "name-service"),
    ])
    func badOptionsAreRefusedWithTheReason(options: ProbeOptions, expected: String) throws {
        #expect(try #require(options.validationError()).contains(expected))
    }

    @Test func largestPayloadsAreAccepted() {
        #expect(ProbeOptions(target: target, size: 496).validationError() == nil)
        #expect(ProbeOptions(target: target, payload: [UInt8](repeating: 65, count: 480)).validationError() == nil)
        #expect(ProbeOptions(target: target, size: 8, expectation: .none).validationError() == nil)
    }
}

/// The exchange loop builds each message in one buffer; it must send exactly the frames the options describe.
@Suite struct ProbeMessageBufferTests {
    @Test(arguments: [
        ProbeOptions(target: .service("x"), size: 64),
        ProbeOptions(target: .service("x"), size: 496),
        ProbeOptions(target: .service("x"), size: 16),
        ProbeOptions(target: .service("x"), payload: Array("hello".utf8)),
        ProbeOptions(target: .service("x"), payload: Array("status?".utf8), expectation: .reply),
        ProbeOptions(target: .service("x"), size: 8, expectation: .none),
        ProbeOptions(target: .service("x"), size: 100, expectation: .reply),
    ])
    func messagesBuiltInPlaceAreTheFrames(options: ProbeOptions) {
        let messages = ProbeMessage(options: options)
        for sequence: UInt32 in [0, 1, 7, 255, 1000, 65_537] {
            #expect(Array(messages.fill(sequence)) == options.message(sequence), "message \(sequence)")
        }
        #expect(messages.count == options.message(0).count)
    }
}
