#if canImport(Glibc)
import Glibc
#endif

/// The live echo probe: opens the real devices, creates an endpoint, exchanges messages, and always
/// destroys what it created. Each step records one verdict.
public final class ProbeRunner {
    public typealias Progress = (ProbeReport.Counts) -> Void

    let options: ProbeOptions
    let snapshot: Snapshot
    let fs: RootedFileSystem
    let progress: Progress?
    private let signals = SignalWatch()
    private let session = EndpointSession()
    private var report: ProbeReport
    private var tracker = AnswerTracker()
    private var failure: SystemCallError?
    private var scan: [Finding] = []

    public init(options: ProbeOptions, snapshot: Snapshot, fs: RootedFileSystem, progress: Progress? = nil) {
        self.options = options
        self.snapshot = snapshot
        self.fs = fs
        self.progress = progress
        self.report = ProbeReport(target: "", expectation: options.expectation.rawValue)
    }

    public func run() -> ProbeReport {
        defer { session.close() }
        let target: ProbeTarget
        do {
            target = try ProbeTarget.resolve(options, in: snapshot)
        } catch {
            report.target = options.target.description
            report.record("find target", .failed, error.finding.summary)
            report.findings = [error.finding]
            return report
        }
        report.target = target.description
        report.control = target.controlPath
        report.dst = target.dst
        report.record("find target", .ok, target.channel.map { "channel \($0.label)" } ?? target.description)
        scan = ProbeDiagnosis.scan(snapshot, target: target, options: options)
        if open(target) { exchange() }
        finishEndpoint()
        if let signal = signals.check() { report.interrupted = SignalWatch.name(signal) }
        report.findings = ProbeDiagnosis(report: report, target: target, scan: scan, failure: failure, snapshot: snapshot, fs: fs, options: options).findings()
        return report
    }

    /// Opens the ctrl, creates the endpoint and opens its node; or opens the given endpoint device.
    private func open(_ target: ProbeTarget) -> Bool {
        if let endpointPath = target.endpointPath {
            return step("open \(endpointPath)") { try session.openEndpoint(endpointPath) }
        }
        guard let controlPath = target.controlPath, let dst = target.dst else { return false }
        guard step("open \(controlPath)", { try session.openControl(controlPath) }) else { return false }
        if let taken = scan.first(where: { $0.id == .addressTaken && $0.severity == .error }) {
            // An endpoint whose src is taken cannot be opened, and one never opened cannot be destroyed: do not make it.
            report.record("check src \(options.src.hex)", .failed, taken.summary)
            return false
        }
        let watch = EndpointNodeWatch(fs: fs)
        let before = watch.classDeviceNames()
        let request = "name \"\(target.endpointName)\" src \(options.src.hex) dst \(dst.hex)"
        guard step("create endpoint (\(request))", {
            try session.createEndpoint(name: target.endpointName, src: options.src, dst: dst, controlPath: controlPath)
        }) else { return false }
        guard let name = watch.newEndpoint(since: before) else {
            report.record("find endpoint device", .failed, "no new device in /sys/class/rpmsg after RPMSG_CREATE_EPT_IOCTL")
            return false
        }
        session.classDevicePath = "/sys/class/rpmsg/\(name)"
        guard let node = watch.waitForNode(name, timeoutMilliseconds: options.nodeWaitMilliseconds, signals: signals) else {
            report.record("endpoint node /dev/\(name)", .failed, "did not appear within \(options.nodeWaitMilliseconds) ms")
            session.endpointPath = "/dev/\(name)"
            return false
        }
        report.endpoint = node.path
        let udevNote = node.handledByUdev.map { $0 ? ", udev done" : ", udev not done yet" } ?? ""
        report.record("endpoint node \(node.path)", .ok, "appeared after \(node.milliseconds) ms\(udevNote)")
        guard step("open \(node.path)", { try openEndpointOnceUdevAllows(node.path) }) else { return false }
        if let src = try? fs.attribute(SysPath("/sys/class/rpmsg/\(name)/src")).get() {
            report.src = RpmsgAddress(parsing: src)
        }
        return true
    }

    /// Opens the new endpoint node, retrying a refusal while udev may still be applying the rules' group and
    /// mode (a device number can be reused before udev dropped the old device's entry). Bounded by the node wait.
    private func openEndpointOnceUdevAllows(_ path: String) throws {
        let deadline = MonotonicClock.now() + Double(options.nodeWaitMilliseconds) / 1000
        let io = EndpointIO(fd: -1, signals: signals)
        let udevRunning = fs.exists(SysPath("/run/udev/control"))
        while true {
            do {
                try session.openEndpoint(path)
                return
            } catch {
                let refused = error.code == EACCES || error.code == EPERM
                guard refused, udevRunning, MonotonicClock.now() < deadline, io.pause(until: MonotonicClock.now() + 0.01) else { throw error }
            }
        }
    }

    private func step(_ name: String, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            report.record(name, .ok, "")
            return true
        } catch let error as SystemCallError {
            failure = error
            report.record(name, .failed, error.name + ": " + String(cString: strerror(error.code)))
            return false
        } catch {
            report.record(name, .failed, "\(error)")
            return false
        }
    }

    /// Sends the messages one at a time and waits for each answer.
    private func exchange() {
        let io = EndpointIO(fd: session.endpointFD, signals: signals)
        let started = MonotonicClock.now()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var completed = true
        messages: for index in 0..<options.count {
            let sequence = UInt32(index)
            let message = options.message(sequence)
            let written = io.write(message, timeoutMilliseconds: options.timeoutMilliseconds)
            if written == .timedOut {
                report.record("write message \(sequence)", .failed, "no free TX buffer within \(options.timeoutMilliseconds) ms: the remote does not consume")
            }
            if written == .timedOut || mustStop(written, call: "write", step: "write message \(sequence)") {
                completed = false
                break messages
            }
            report.counts.sent += 1
            let sentAt = MonotonicClock.now()
            if options.expectation != .none,
               mustStop(awaitAnswer(to: sequence, sent: message, io: io, buffer: &buffer, sentAt: sentAt, deadline: sentAt + Double(options.timeoutMilliseconds) / 1000),
                        call: "read", step: "read answer \(sequence)") {
                completed = false
                break messages
            }
            report.counts = tracker.counts(sent: report.counts.sent)
            progress?(report.counts)
            if options.intervalMilliseconds > 0, index + 1 < options.count,
               !io.pause(until: MonotonicClock.now() + Double(options.intervalMilliseconds) / 1000) {
                completed = false
                break messages
            }
        }
        report.counts = tracker.counts(sent: report.counts.sent)
        report.timing = ProbeReport.Timing(roundTrips: tracker.roundTrips, elapsedSeconds: MonotonicClock.now() - started,
                                           bytesPerMessage: options.message(0).count)
        recordExchangeVerdicts()
        if completed, report.counts.answered == 0, options.expectation != .none, failure == nil {
            checkConsumption(io)
        }
    }

    /// Whether the exchange must stop after this outcome: a signal came, or the call failed (recorded here).
    private func mustStop(_ outcome: EndpointIO.Outcome, call: String, step: String) -> Bool {
        switch outcome {
        case .done, .timedOut: return false
        case .interrupted: return true
        case .failed(let code):
            let error = SystemCallError(call, session.endpointPath ?? "", code)
            failure = error
            report.record(step, .failed, error.name)
            return true
        }
    }

    private func awaitAnswer(to sequence: UInt32, sent: [UInt8], io: EndpointIO, buffer: inout [UInt8], sentAt: Double, deadline: Double) -> EndpointIO.Outcome {
        var readAt = sentAt
        while true {
            let outcome = io.read(into: &buffer, deadline: deadline, now: readAt)
            guard case .done(let count) = outcome else { return outcome }
            let answer = Array(buffer[0..<count])
            readAt = MonotonicClock.now()
            let roundTrip = (readAt - sentAt) * 1e6
            if tracker.classify(answer, to: sequence, sent: sent, expectation: options.expectation, roundTripMicroseconds: roundTrip) {
                return outcome
            }
        }
    }

    private func recordExchangeVerdicts() {
        let counts = report.counts
        guard counts.sent > 0 else { return }
        report.record("write \(options.count) messages of \(options.message(0).count) bytes", counts.sent == options.count ? .ok : .failed,
                      "\(counts.sent) of \(options.count) accepted")
        guard options.expectation != .none else { return }
        report.record("answers received", counts.answered >= counts.sent && counts.lost == 0 ? .ok : .failed,
                      "\(counts.sent - counts.lost) of \(counts.sent) answered within \(options.timeoutMilliseconds) ms" + (counts.late > 0 ? ", \(counts.late) late" : ""))
        guard counts.answered > 0 else { return }
        let damaged = counts.truncated + counts.corrupted + counts.otherData + counts.duplicated
        report.record("answers checked (\(options.expectation.rawValue))", damaged == 0 ? .ok : .failed,
                      "\(counts.intact) intact, \(counts.truncated) truncated, \(counts.corrupted) corrupted, \(counts.otherData) other data, \(counts.duplicated) duplicated")
    }

    /// With no answer at all, tells a silent remote from one that stopped consuming: a remote that consumes
    /// keeps the TX ring free, one that does not fills it (256 buffers on virtio) and writes stall.
    private func checkConsumption(_ io: EndpointIO) {
        if let explanation = ProbeDiagnosis.mappingExplanation(in: scan) {
            report.record("consumption check", .skipped, "not needed: \(explanation.id.rawValue) explains the silence")
            return
        }
        let filler = ProbeFrame(sequence: UInt32.max, totalSize: ProbeFrame.headerSize).bytes
        for written in 0..<Self.consumptionCheckMessages {
            // Each write gets the whole timeout, so that a slow remote that does consume is not taken for a stuck one.
            let outcome = io.write(filler, timeoutMilliseconds: options.timeoutMilliseconds)
            if outcome == .timedOut {
                report.record("consumption check", .failed, "the TX ring filled after \(written) messages and stayed full: the remote does not consume")
                return
            }
            if mustStop(outcome, call: "write", step: "consumption check") { return }
        }
        report.record("consumption check", .ok, "\(Self.consumptionCheckMessages) further messages were consumed: the remote receives but does not answer")
    }

    /// More than the 256 TX buffers that virtio rpmsg has at most.
    static let consumptionCheckMessages = 300

    private func finishEndpoint() {
        let path = session.endpointPath ?? "endpoint"
        switch session.close() {
        case .nothingCreated: break
        case .removedByKernel: report.record("destroy endpoint \(path)", .ok, "already removed by the kernel with its virtio device")
        case .destroyed: report.record("destroy endpoint \(path)", .ok, "")
        case .destroyFailed(let error): report.record("destroy endpoint \(path)", .failed, error.name)
        case .leftBehind:
            report.record("destroy endpoint \(path)", .warning,
                          "it could not be opened, and the kernel destroys an endpoint device only through an open descriptor: it stays until its virtio device goes away")
        }
    }
}
