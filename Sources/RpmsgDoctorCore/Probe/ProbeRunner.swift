#if canImport(Glibc)
import Glibc
#endif

/// The probe of this system's real rpmsg devices.
public enum Probe {
    public typealias Progress = (ProbeReport.Counts) -> Void

    /// Probes through the devices below `fs`'s root. SIGINT and SIGTERM are held back while it runs: they stop it
    /// at its next wait, after it destroyed its endpoint (`ProbeReport.interrupted`).
    public static func run(_ options: ProbeOptions, snapshot: Snapshot, fs: RootedFileSystem, progress: Progress? = nil) -> ProbeReport {
        ProbeRunner(options: options, snapshot: snapshot, devices: SystemDevices(fs: fs), clock: MonotonicClock(), progress: progress).run()
    }
}

/// The live echo probe: opens the devices, creates an endpoint, exchanges messages, and always destroys what
/// it created. Each step records one typed outcome. Generic over the devices and the clock, so that tests run
/// it against scripted remotes, and the real one compiles to plain system calls.
final class ProbeRunner<Devices: ProbeDevices, Clock: ProbeClock> {
    let options: ProbeOptions
    let snapshot: Snapshot
    let devices: Devices
    let clock: Clock
    let progress: Probe.Progress?
    private let session: EndpointSession<Devices>
    /// The rpmsg tty in use (the target, or the channel's tty compared with), restored and closed on every path.
    private var ttySession: TTYSession<Devices>?
    private var report: ProbeReport
    private var tracker: AnswerTracker
    private var scan: [Finding] = []

    init(options: ProbeOptions, snapshot: Snapshot, devices: Devices, clock: Clock, progress: Probe.Progress? = nil) {
        self.options = options
        self.snapshot = snapshot
        self.devices = devices
        self.clock = clock
        self.progress = progress
        self.session = EndpointSession(devices: devices)
        self.report = ProbeReport(target: "", expectation: options.expectation)
        self.tracker = AnswerTracker(expectedAnswers: options.count)
    }

    func run() -> ProbeReport {
        defer {
            session.close()
            ttySession?.close()
        }
        let target: ProbeTarget
        do {
            target = try ProbeTarget.resolve(options, in: snapshot)
        } catch {
            report.target = options.target.description
            report.record(.findTarget, .targetNotFound(error.finding.id, summary: error.finding.summary))
            report.findings = [error.finding]
            return report
        }
        report.target = target.description
        report.control = target.controlPath
        report.dst = target.dst
        report.record(.findTarget, .targetFound(target.channel.map { "channel \($0.label)" } ?? target.description))
        scan = ProbeDiagnosis.scan(snapshot, target: target, options: options)
        if let tty = target.tty {
            report.tty = tty.node.path
            if openTTY(tty) { exchangeStream() }
            finishTTY(tty)
        } else {
            if open(target) { exchange() }
            finishEndpoint()
            if let tty = target.comparisonTTY, comparisonHelps(target) { compare(with: tty) }
        }
        report.interrupted = devices.receivedSignal()
        let channelVanished = target.channel.map { !devices.exists($0.sysfsPath) } ?? false
        report.findings = ProbeDiagnosis(report: report, target: target, scan: scan, snapshot: snapshot, options: options,
                                         channelVanished: channelVanished).findings()
        return report
    }

    /// Opens the ctrl, creates the endpoint and opens its node; or opens the given endpoint device.
    private func open(_ target: ProbeTarget) -> Bool {
        if let endpointPath = target.endpointPath {
            return step(.open(endpointPath)) { () throws(SystemCallError) in try session.openEndpoint(endpointPath) }
        }
        guard let controlPath = target.controlPath, let dst = target.dst else { return false }
        guard step(.open(controlPath), { () throws(SystemCallError) in try session.openControl(controlPath) }) else { return false }
        if let taken = scan.first(where: { $0.id == .addressTaken && $0.severity == .error }) {
            // An endpoint whose src is taken cannot be opened, and one never opened cannot be destroyed: do not make it.
            report.record(.checkSource(options.src), .sourceTaken(summary: taken.summary))
            return false
        }
        let watch = EndpointNodeWatch(devices: devices, clock: clock)
        let before = watch.classDeviceNames()
        guard step(.createEndpoint(name: target.endpointName, src: options.src, dst: dst), { () throws(SystemCallError) in
            try session.createEndpoint(name: target.endpointName, src: options.src, dst: dst, controlPath: controlPath)
        }) else { return false }
        guard let name = watch.newEndpoint(since: before) else {
            report.record(.findEndpointDevice, .noNewDevice)
            return false
        }
        session.classDevicePath = "/sys/class/rpmsg/\(name)"
        let node: EndpointNodeWatch<Devices, Clock>.ReadyNode
        switch watch.waitForNode(name, timeoutMilliseconds: options.nodeWaitMilliseconds) {
        case .ready(let ready): node = ready
        case .missing:
            report.record(.endpointNode("/dev/\(name)"), .nodeMissing(milliseconds: options.nodeWaitMilliseconds))
            session.endpointPath = "/dev/\(name)"
            return false
        case .interrupted:
            session.endpointPath = "/dev/\(name)"
            return false
        }
        report.endpoint = node.path
        report.record(.endpointNode(node.path), .nodeAppeared(milliseconds: node.milliseconds, udevDone: node.handledByUdev))
        guard step(.open(node.path), { () throws(SystemCallError) in try openEndpointOnceUdevAllows(node.path) }) else { return false }
        if let src = devices.source(ofEndpoint: name) {
            report.src = src
        }
        return true
    }

    /// Opens the new endpoint node, retrying a refusal while udev may still be applying the rules' group and
    /// mode (a device number can be reused before udev dropped the old device's entry). Bounded by the node wait.
    private func openEndpointOnceUdevAllows(_ path: String) throws(SystemCallError) {
        let deadline = clock.now() + Double(options.nodeWaitMilliseconds) / 1000
        let io = EndpointIO(fd: -1, devices: devices, clock: clock)
        while true {
            do {
                try session.openEndpoint(path)
                return
            } catch {
                let refused = error.code == EACCES || error.code == EPERM
                guard refused, devices.udevRunning, clock.now() < deadline, io.pause(until: clock.now() + 0.01) == nil else { throw error }
            }
        }
    }

    private func step(_ action: ProbeReport.Action, _ body: () throws(SystemCallError) -> Void) -> Bool {
        do {
            try body()
            report.record(action, .done)
            return true
        } catch {
            report.record(action, .systemCall(error))
            return false
        }
    }

    /// Sends the messages one at a time and waits for each answer. Per message: write, clock, poll, read, clock.
    private func exchange() {
        let io = EndpointIO(fd: session.endpointFD, devices: devices, clock: clock)
        let messages = ProbeMessage(options: options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        let timeout = Double(options.timeoutMilliseconds) / 1000
        let started = clock.now()
        var completed = true
        var unawaited = 0
        exchange: for index in 0..<options.count {
            let sequence = UInt32(index)
            let message = messages.fill(sequence)
            let written = io.write(message, timeoutMilliseconds: options.timeoutMilliseconds)
            guard case .done = written else {
                stop(.writeMessage(sequence), written, call: "write")
                completed = false
                break exchange
            }
            report.counts.sent += 1
            let sentAt = clock.now()
            if options.expectation != .none {
                let answer = awaitAnswer(to: sequence, sent: message, io: io, buffer: buffer, sentAt: sentAt, deadline: sentAt + timeout)
                switch answer {
                case .done, .timedOut: break
                case .interrupted, .failed:
                    if case .interrupted = answer { unawaited = 1 }
                    stop(.readAnswer(sequence), answer, call: "read")
                    completed = false
                    break exchange
                }
            }
            if let progress {
                report.counts = tracker.counts(sent: report.counts.sent)
                progress(report.counts)
            }
            if options.intervalMilliseconds > 0, index + 1 < options.count,
               io.pause(until: clock.now() + Double(options.intervalMilliseconds) / 1000) != nil {
                completed = false
                break exchange
            }
        }
        let elapsed = clock.now() - started
        report.counts = tracker.counts(sent: report.counts.sent, unawaited: unawaited)
        report.timing = ProbeReport.Timing(roundTrips: tracker.roundTrips, elapsedSeconds: elapsed, bytesPerMessage: messages.count)
        recordExchangeVerdicts(bytesPerMessage: messages.count, awaited: report.counts.sent - unawaited)
        if completed, report.counts.answered == 0, options.expectation != .none, report.failedCall == nil {
            checkConsumption { io.write($0, timeoutMilliseconds: $1) }
        }
    }

    /// Records why an exchange stopped early: the TX ring stayed full, or the call failed. A signal is recorded
    /// once, as the report's `interrupted`.
    private func stop(_ action: ProbeReport.Action, _ outcome: EndpointIO<Devices, Clock>.Outcome, call: String) {
        switch outcome {
        case .done, .interrupted: break
        case .timedOut: report.record(action, .txRingFull(after: report.counts.sent, timeoutMilliseconds: options.timeoutMilliseconds))
        case .failed(let code): report.record(action, .systemCall(SystemCallError(call, ttySession?.path ?? session.endpointPath ?? "", code)))
        }
    }

    private func awaitAnswer(to sequence: UInt32, sent: UnsafeRawBufferPointer, io: EndpointIO<Devices, Clock>,
                             buffer: UnsafeMutableRawBufferPointer, sentAt: Double, deadline: Double) -> EndpointIO<Devices, Clock>.Outcome {
        var readAt = sentAt
        while true {
            let outcome = io.read(into: buffer, deadline: deadline, now: readAt)
            guard case .done(let count) = outcome else { return outcome }
            readAt = clock.now()
            let answer = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if tracker.classify(answer, to: sequence, sent: sent, expectation: options.expectation, roundTripMicroseconds: (readAt - sentAt) * 1e6) {
                return outcome
            }
        }
    }

    /// `awaited`: the messages whose answer was waited for to the end (all sent, unless a signal cut the last wait short).
    private func recordExchangeVerdicts(bytesPerMessage: Int, awaited: Int) {
        let counts = report.counts
        guard counts.sent > 0 else { return }
        report.record(.writeMessages(count: options.count, bytes: bytesPerMessage), .accepted(counts.sent, of: options.count))
        guard options.expectation != .none, awaited > 0 else { return }
        report.record(.receiveAnswers, .answered(awaited - counts.lost, of: awaited, timeoutMilliseconds: options.timeoutMilliseconds, late: counts.late))
        guard counts.answered > 0 else { return }
        report.record(.checkAnswers(options.expectation), .sorted(counts.sorting))
    }

    /// With no answer at all, tells a silent remote from one that stopped consuming: a remote that consumes
    /// keeps the TX ring free, one that does not fills it (256 buffers on virtio) and writes stall.
    private func checkConsumption(_ write: (UnsafeRawBufferPointer, Int) -> EndpointIO<Devices, Clock>.Outcome) {
        if let explanation = ProbeDiagnosis.mappingExplanation(in: scan) {
            report.record(.consumptionCheck, .notNeeded(explainedBy: explanation.id))
            return
        }
        let filler = ProbeFrame(sequence: UInt32.max, totalSize: ProbeFrame.headerSize).bytes
        for written in 0..<Self.consumptionCheckMessages {
            // Each write gets the whole timeout, so that a slow remote that does consume is not taken for a stuck one.
            let outcome = filler.withUnsafeBytes { write($0, options.timeoutMilliseconds) }
            switch outcome {
            case .done: continue
            case .timedOut: report.record(.consumptionCheck, .txRingFull(after: written, timeoutMilliseconds: options.timeoutMilliseconds))
            case .interrupted, .failed: stop(.consumptionCheck, outcome, call: "write")
            }
            return
        }
        report.record(.consumptionCheck, .consumed(Self.consumptionCheckMessages))
    }

    // MARK: rpmsg ttys

    /// Opens the tty, saves its settings and puts it in raw mode.
    private func openTTY(_ tty: RpmsgTTY) -> Bool {
        let session = TTYSession(devices: devices, path: tty.node.path)
        ttySession = session
        guard step(.open(session.path), { () throws(SystemCallError) in try session.open() }) else { return false }
        return step(.rawMode(session.path), { () throws(SystemCallError) in try session.makeRaw() })
    }

    /// The exchange of `exchange()` over the tty's byte stream.
    private func exchangeStream() {
        guard let tty = ttySession else { return }
        let exchange = StreamExchange(fd: tty.fd, devices: devices, clock: clock, options: options, count: options.count)
        let result = exchange.run(progress: progress.map { progress in
            { [unowned self] tracker, sent in
                report.counts = tracker.counts(sent: sent)
                progress(report.counts)
            }
        })
        tracker = result.tracker
        report.counts.sent = result.sent
        if let (action, outcome) = result.stop {
            stop(action, outcome, call: { if case .writeMessage = action { "write" } else { "read" } }())
        }
        report.counts = tracker.counts(sent: result.sent, unawaited: result.unawaited)
        report.timing = ProbeReport.Timing(roundTrips: tracker.roundTrips, elapsedSeconds: result.elapsed, bytesPerMessage: result.bytesPerMessage)
        recordExchangeVerdicts(bytesPerMessage: result.bytesPerMessage, awaited: report.counts.sent - result.unawaited)
        if result.completed, report.counts.answered == 0, options.expectation != .none, report.failedCall == nil {
            checkConsumption { exchange.writeAll($0, timeoutMilliseconds: $1) }
        }
    }

    /// Restores the tty's settings and closes it; a tty gone with its virtio device has nothing left to restore.
    private func finishTTY(_ tty: RpmsgTTY) {
        guard let session = ttySession else { return }
        switch session.close() {
        case .nothingToRestore: break
        case .restored: report.record(.restoreTerminal(session.path), .done)
        case .restoreFailed(let error):
            report.record(.restoreTerminal(session.path), devices.exists(tty.sysfsPath) ? .systemCall(error) : .ttyGone)
        }
    }

    /// Whether trying the channel's tty can tell a dead remote from a bad endpoint: messages went out and answers are
    /// missing, and neither a signal, a full TX ring (the tty shares it) nor a remote that went away explains it.
    private func comparisonHelps(_ target: ProbeTarget) -> Bool {
        options.expectation != .none && devices.receivedSignal() == nil && report.counts.sent > 0 && report.counts.lost > 0
            && report.txRingFull == nil && report.failedCall == nil && !(target.channel.map { !devices.exists($0.sysfsPath) } ?? false)
    }

    /// A few messages through the same channel's tty: if it answers, the remote is alive and the endpoint is the problem.
    private func compare(with tty: RpmsgTTY) {
        let session = TTYSession(devices: devices, path: tty.node.path)
        ttySession = session
        let action = ProbeReport.Action.compareWithTTY(session.path)
        do {
            try session.open()
            try session.makeRaw()
        } catch {
            report.record(action, .systemCall(error))
            finishTTY(tty)
            return
        }
        let result = StreamExchange(fd: session.fd, devices: devices, clock: clock, options: options,
                                    count: min(options.count, Self.comparisonMessages)).run()
        let answered = result.tracker.counts(sent: result.sent, unawaited: result.unawaited).answered
        if let (_, outcome) = result.stop, case .failed(let code) = outcome {
            report.record(action, .systemCall(SystemCallError(result.sent == 0 ? "write" : "read", session.path, code)))
        } else if result.sent > 0, devices.receivedSignal() == nil {
            report.record(action, .ttyAnswered(answered, of: result.sent, timeoutMilliseconds: options.timeoutMilliseconds))
            report.comparison = ProbeReport.Comparison(tty: session.path, sent: result.sent, answered: answered)
        }
        finishTTY(tty)
    }

    /// Enough to tell, few enough not to make a failing probe much longer.
    static var comparisonMessages: Int { 3 }

    /// More than the 256 TX buffers that virtio rpmsg has at most.
    static var consumptionCheckMessages: Int { 300 }

    private func finishEndpoint() {
        if report.failedCall?.code == EPIPE { session.destroyedByKernel = true }
        let action = ProbeReport.Action.destroyEndpoint(session.endpointPath ?? "endpoint")
        switch session.close() {
        case .nothingCreated: break
        case .removedByKernel: report.record(action, .removedByKernel)
        case .destroyed: report.record(action, .done)
        case .destroyFailed(let error): report.record(action, .systemCall(error))
        case .leftBehind: report.record(action, .leftBehind)
        }
    }
}
