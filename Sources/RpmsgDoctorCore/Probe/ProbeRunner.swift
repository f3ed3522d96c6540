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
        defer { session.close() }
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
        if open(target) { exchange() }
        finishEndpoint()
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
            checkConsumption(io)
        }
    }

    /// Records why an exchange stopped early: the TX ring stayed full, or the call failed. A signal is recorded
    /// once, as the report's `interrupted`.
    private func stop(_ action: ProbeReport.Action, _ outcome: EndpointIO<Devices, Clock>.Outcome, call: String) {
        switch outcome {
        case .done, .interrupted: break
        case .timedOut: report.record(action, .txRingFull(after: report.counts.sent, timeoutMilliseconds: options.timeoutMilliseconds))
        case .failed(let code): report.record(action, .systemCall(SystemCallError(call, session.endpointPath ?? "", code)))
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
    private func checkConsumption(_ io: EndpointIO<Devices, Clock>) {
        if let explanation = ProbeDiagnosis.mappingExplanation(in: scan) {
            report.record(.consumptionCheck, .notNeeded(explainedBy: explanation.id))
            return
        }
        let filler = ProbeFrame(sequence: UInt32.max, totalSize: ProbeFrame.headerSize).bytes
        for written in 0..<Self.consumptionCheckMessages {
            // Each write gets the whole timeout, so that a slow remote that does consume is not taken for a stuck one.
            let outcome = filler.withUnsafeBytes { io.write($0, timeoutMilliseconds: options.timeoutMilliseconds) }
            switch outcome {
            case .done: continue
            case .timedOut: report.record(.consumptionCheck, .txRingFull(after: written, timeoutMilliseconds: options.timeoutMilliseconds))
            case .interrupted, .failed: stop(.consumptionCheck, outcome, call: "write")
            }
            return
        }
        report.record(.consumptionCheck, .consumed(Self.consumptionCheckMessages))
    }

    /// More than the 256 TX buffers that virtio rpmsg has at most.
    static var consumptionCheckMessages: Int { 300 }

    private func finishEndpoint() {
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
