#if canImport(Glibc)
import Glibc
#endif

/// The probe's exchange through an rpmsg tty. A tty is a byte stream: a write may take part of a message, a read may
/// return part of an answer or several answers at once. So the answers are checked on the stream: each message waits
/// until as many bytes as it sent came back (with --expect echo), and what came is sorted as the endpoint's answers
/// are (intact, late, duplicated, truncated, corrupted, other data); what is left over belongs to the next.
struct StreamExchange<Devices: ProbeDevices, Clock: ProbeClock> {
    typealias Outcome = EndpointIO<Devices, Clock>.Outcome

    let fd: Int32
    let devices: Devices
    let clock: Clock
    let options: ProbeOptions
    /// How many messages to send (the probe's --count, fewer for a comparison).
    let count: Int

    struct Result {
        var tracker: AnswerTracker
        var sent = 0
        /// Messages whose wait a signal cut short.
        var unawaited = 0
        var elapsed: Double = 0
        var bytesPerMessage = 0
        /// Why it stopped before the last message: the step and what happened.
        var stop: (action: ProbeReport.Action, outcome: Outcome)?
        /// Whether an interval's pause was cut by a signal.
        var paused = false
        var completed: Bool { stop == nil && !paused }
    }

    /// How long a reply (--expect reply) may pause between its pieces: the tty may deliver one message in several reads.
    static var replyGapMilliseconds: Double { 20 }
    /// How often a write that found no free TX buffer is tried again: rpmsg_tty says ENOMEM, which poll cannot wait for.
    static var bufferRetryMilliseconds: Double { 2 }

    func run(progress: ((AnswerTracker, Int) -> Void)? = nil) -> Result {
        let io = EndpointIO(fd: fd, devices: devices, clock: clock)
        let messages = ProbeMessage(options: options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        var result = Result(tracker: AnswerTracker(expectedAnswers: count), bytesPerMessage: messages.count)
        var pending: [UInt8] = []
        pending.reserveCapacity(2 * buffer.count)
        let timeout = Double(options.timeoutMilliseconds) / 1000
        let started = clock.now()
        for index in 0..<count {
            let sequence = UInt32(index)
            let message = messages.fill(sequence)
            let written = writeAll(message, timeoutMilliseconds: options.timeoutMilliseconds)
            guard case .done = written else {
                result.stop = (.writeMessage(sequence), written)
                break
            }
            result.sent += 1
            let sentAt = clock.now()
            if options.expectation != .none {
                let answer = awaitAnswer(to: sequence, sent: message, io: io, buffer: buffer, pending: &pending, tracker: &result.tracker,
                                         sentAt: sentAt, deadline: sentAt + timeout)
                switch answer {
                case .done, .timedOut: break
                case .interrupted, .failed:
                    if case .interrupted = answer { result.unawaited = 1 }
                    result.stop = (.readAnswer(sequence), answer)
                }
                if result.stop != nil { break }
            }
            progress?(result.tracker, result.sent)
            if options.intervalMilliseconds > 0, index + 1 < count,
               io.pause(until: clock.now() + Double(options.intervalMilliseconds) / 1000) != nil {
                result.paused = true
                break
            }
        }
        result.elapsed = clock.now() - started
        return result
    }

    /// Waits for the answer to `sequence` on the stream. With --expect echo it is the next `sent.count` bytes; with
    /// --expect reply, whatever comes, until the stream pauses. Bytes that were due earlier but came late are sorted
    /// as late (their sequence number says so) and the wait goes on.
    private func awaitAnswer(to sequence: UInt32, sent: UnsafeRawBufferPointer, io: EndpointIO<Devices, Clock>, buffer: UnsafeMutableRawBufferPointer,
                             pending: inout [UInt8], tracker: inout AnswerTracker, sentAt: Double, deadline: Double) -> Outcome {
        var readAt = sentAt
        var deadline = deadline
        while true {
            if options.expectation == .echo, pending.count >= sent.count {
                let taken = Array(pending.prefix(sent.count))
                pending.removeFirst(sent.count)
                let answered = taken.withUnsafeBytes {
                    tracker.classify($0, to: sequence, sent: sent, expectation: options.expectation, roundTripMicroseconds: (readAt - sentAt) * 1e6)
                }
                if answered { return .done(sent.count) }
                continue
            }
            let outcome = io.read(into: buffer, deadline: deadline, now: readAt)
            switch outcome {
            case .done(0):
                // The end of the file: the tty was hung up (its channel or virtio device is gone).
                return .failed(EIO)
            case .done(let count):
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                readAt = clock.now()
                if options.expectation == .reply {
                    // The reply is what came until the stream pauses (or the time is up).
                    deadline = min(deadline, readAt + Self.replyGapMilliseconds / 1000)
                }
            case .timedOut:
                guard !pending.isEmpty else { return .timedOut }
                // What came is all there is: a truncated or damaged answer, or a reply of the firmware's own.
                let taken = pending
                pending.removeAll(keepingCapacity: true)
                _ = taken.withUnsafeBytes {
                    tracker.classify($0, to: sequence, sent: sent, expectation: options.expectation, roundTripMicroseconds: (readAt - sentAt) * 1e6)
                }
                return .done(taken.count)
            case .interrupted, .failed:
                return outcome
            }
        }
    }

    /// Writes every byte of `bytes`, however many the tty takes at a time, waiting for room up to the timeout:
    /// EAGAIN waits in poll, ENOMEM (rpmsg_tty's rpmsg_trysend found no free TX buffer) tries again a moment later.
    func writeAll(_ bytes: UnsafeRawBufferPointer, timeoutMilliseconds: Int) -> Outcome {
        let io = EndpointIO(fd: fd, devices: devices, clock: clock)
        let deadline = clock.now() + Double(timeoutMilliseconds) / 1000
        var offset = 0
        while offset < bytes.count {
            let code: Int32
            switch devices.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .done(let count) where count > 0:
                offset += count
                continue
            case .done: code = EAGAIN
            case .failed(let failure): code = failure
            }
            let now = clock.now()
            if now >= deadline { return .timedOut }
            switch code {
            case EINTR:
                continue
            case EAGAIN:
                switch devices.wait(for: .writable, on: fd, milliseconds: EndpointIO<Devices, Clock>.milliseconds(from: now, until: deadline)) {
                case .ready, .timedOut: continue
                case .signal(let signal): return .interrupted(signal)
                case .failed(let failure): return .failed(failure)
                }
            case ENOMEM:
                if let signal = io.pause(until: min(deadline, now + Self.bufferRetryMilliseconds / 1000)) { return .interrupted(signal) }
            default:
                return .failed(code)
            }
        }
        return .done(bytes.count)
    }
}
