#if canImport(Glibc)
import Glibc
#endif
@testable import RpmsgDoctorCore

/// A clock that moves only when the scripted remote lets time pass: timeouts of seconds take no time at all.
final class ScriptedClock: ProbeClock {
    private(set) var time: Double = 100
    private(set) var reads = 0

    func now() -> Double {
        reads += 1
        return time
    }

    func move(to later: Double) {
        time = max(time, later)
    }

    func advance(milliseconds: Int32) {
        time += Double(milliseconds) / 1000
    }
}

/// The kernel's rpmsg devices with a remote core behind them, played from a script: what the remote does with
/// each message it receives, and when it goes away. Records every descriptor, endpoint and system call, so that
/// tests can check that what the probe created it destroyed.
final class ScriptedRemote: ProbeDevices {
    /// What the remote does with the message the probe writes (0-based count of messages accepted before it).
    enum Reaction {
        /// Takes the message and answers with these, after `milliseconds` each.
        case answer([[UInt8]], afterMilliseconds: Double)
        /// Takes the message (its TX buffer comes back) and says nothing.
        case consume
        /// Never gives its TX buffer back.
        case hold
        /// The kernel refuses the write with this errno.
        case refuse(Int32)
        /// Goes away: its channel and the probe's endpoint vanish with the virtio device.
        case goAway(Departure)
    }

    struct Departure {
        /// Whether this write still went out before it left.
        var writeAccepted = false
        /// What writes and reads fail with afterwards; nil: they do not fail (writes vanish, reads time out).
        var writeError: Int32? = EPIPE
        var readError: Int32? = EPIPE
        /// Whether poll reports POLLHUP.
        var hangsUp = true
        /// The kernel destroyed the endpoint (reads and writes fail with EPIPE) but its class device is still in
        /// sysfs: 6.1 removes it a moment later, and a destroy in between frees it twice (a panic).
        var classDeviceLingers = false
    }

    enum Descriptor: Equatable {
        case control(String)
        case endpoint(String)
        /// An rpmsg tty: a byte stream with terminal settings.
        case tty(String)
    }

    /// A tty as the kernel makes it: canonical mode, echo, signal characters, output processing.
    static let cooked: TerminalSettings = {
        var settings = termios()
        settings.c_iflag = tcflag_t(ICRNL | IXON)
        settings.c_oflag = tcflag_t(OPOST | ONLCR)
        settings.c_cflag = tcflag_t(CS8 | CREAD)
        settings.c_lflag = tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        return TerminalSettings(settings)
    }()

    let clock = ScriptedClock()
    /// The messages the probe writes, and what the remote does with each.
    var script: (_ index: Int, _ message: [UInt8]) -> Reaction
    var ringSize = 256
    /// errno for open(2) of a path.
    var openErrors: [String: Int32] = [:]
    var createError: Int32?
    var destroyError: Int32?
    /// Whether RPMSG_CREATE_EPT_IOCTL makes a class device (the kernel always does; a broken driver might not).
    var createMakesDevice = true
    /// How long after the ioctl /dev/rpmsgN appears; nil: never.
    var nodeDelayMilliseconds: Double? = 1
    var udevRunning = false
    /// When a signal comes: after so many accepted writes, or so many answers read.
    enum Moment: Equatable {
        case writes(Int)
        case answersRead(Int)
    }

    var signal: (after: Moment, ProbeSignal)?
    /// The remote's channel in sysfs, which vanishes when it goes away.
    var channelPath: String?
    /// rpmsg ttys, by name (ttyRPMSG0); each has its terminal settings.
    var ttys: Set<String> = []
    private(set) var terminals: [String: TerminalSettings] = [:]
    /// Every tcsetattr, in order.
    private(set) var terminalChanges: [TerminalSettings] = []
    /// A tty takes at most this many bytes per write (nil: all).
    var ttyWriteLimit: Int?
    /// Each answer on a tty arrives in pieces of this many bytes, a moment apart (nil: whole).
    var ttyPieces: Int?
    /// What the remote does with what comes through a tty, when that differs from `script` (nil: the same).
    var ttyScript: ((_ index: Int, _ message: [UInt8]) -> Reaction)?

    private(set) var classDevices: Set<String>
    private(set) var descriptors: [Int32: Descriptor] = [:]
    private(set) var opened: [String] = []
    private(set) var closed: [Int32] = []
    private(set) var created: [String] = []
    private(set) var destroyed: [String] = []
    /// Endpoints the kernel removed with the remote's virtio device.
    private(set) var removedByKernel: [String] = []
    /// Endpoints destroyed after the kernel had destroyed them: on 6.1 a kernel panic.
    private(set) var destroyedTwice: [String] = []
    private(set) var accepted: [[UInt8]] = []
    private(set) var writes = 0
    private(set) var reads = 0
    private(set) var waits = 0
    private(set) var answersRead = 0
    private(set) var sleeps = 0
    private var nextDescriptor: Int32 = 3
    private var held = 0
    private var incoming: [(at: Double, bytes: [UInt8])] = []
    private var departure: Departure?
    private var createdAt: Double?
    private var pendingSignal: ProbeSignal?
    private var received: ProbeSignal?

    init(classDevices: Set<String> = ["rpmsg_ctrl0"], channelPath: String? = nil,
         script: @escaping (_ index: Int, _ message: [UInt8]) -> Reaction = { _, message in .answer([message], afterMilliseconds: 0.25) }) {
        self.classDevices = classDevices
        self.channelPath = channelPath
        self.script = script
    }

    // MARK: What tests look at

    /// Endpoints created through a ctrl that neither the probe nor the kernel destroyed.
    var endpointsLeft: [String] { created.filter { !destroyed.contains($0) && !removedByKernel.contains($0) } }

    /// Descriptors opened and never closed.
    var descriptorsLeft: [Int32] { descriptors.keys.filter { !closed.contains($0) }.sorted() }

    var isGone: Bool { departure != nil }

    // MARK: ProbeDevices

    func open(_ path: String) -> CallResult {
        opened.append(path)
        if let code = openErrors[path] { return .failed(code) }
        let descriptor: Descriptor
        if let name = path.split(separator: "/").last.map(String.init), name.hasPrefix("rpmsg_ctrl"), classDevices.contains(name) {
            descriptor = .control(name)
        } else if let name = path.split(separator: "/").last.map(String.init), classDevices.contains(name), nodeExists(name) {
            descriptor = .endpoint(name)
        } else if let name = path.split(separator: "/").last.map(String.init), ttys.contains(name), !isGone {
            descriptor = .tty(name)
        } else {
            return .failed(ENOENT)
        }
        let fd = nextDescriptor
        nextDescriptor += 1
        descriptors[fd] = descriptor
        return .done(Int(fd))
    }

    func createEndpoint(control: Int32, name: String, src: RpmsgAddress, dst: RpmsgAddress) -> Int32 {
        guard case .control = descriptors[control] else { return EBADF }
        if let createError { return createError }
        let device = (0...).lazy.map { "rpmsg\($0)" }.first { !self.classDevices.contains($0) && !self.created.contains($0) }!
        created.append(device)
        createdAt = clock.time
        if createMakesDevice { classDevices.insert(device) }
        return 0
    }

    func destroyEndpoint(_ endpoint: Int32) -> Int32 {
        guard case .endpoint(let name) = descriptors[endpoint] else { return EBADF }
        if removedByKernel.contains(name) {
            destroyedTwice.append(name)
            return 0
        }
        if let destroyError { return destroyError }
        guard classDevices.remove(name) != nil else { return ENODEV }
        destroyed.append(name)
        return 0
    }

    func close(_ descriptor: Int32) {
        closed.append(descriptor)
    }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> CallResult {
        writes += 1
        let tty = isTTY(descriptor)
        guard tty || descriptors[descriptor].map({ if case .endpoint = $0 { true } else { false } }) == true else { return .failed(EBADF) }
        // A hung-up tty says EIO.
        if let departure { return tty ? .failed(EIO) : departure.writeError.map { .failed($0) } ?? .done(bytes.count) }
        // rpmsg_tty uses rpmsg_trysend: no free buffer is ENOMEM.
        if held >= ringSize { return .failed(tty ? ENOMEM : EAGAIN) }
        let message = Array(bytes.prefix(tty ? ttyWriteLimit ?? bytes.count : bytes.count))
        switch (tty ? ttyScript ?? script : script)(accepted.count, message) {
        case .answer(let answers, let milliseconds):
            for answer in answers {
                let pieces = tty ? ttyPieces ?? max(answer.count, 1) : max(answer.count, 1)
                for (index, start) in stride(from: 0, to: max(answer.count, 1), by: pieces).enumerated() {
                    incoming.append((clock.time + milliseconds / 1000 + Double(index) * 0.00001, Array(answer[start..<min(answer.count, start + pieces)])))
                }
            }
        case .consume: break
        case .hold: held += 1
        case .refuse(let code): return .failed(code)
        case .goAway(let departure):
            goAway(departure)
            if !departure.writeAccepted { return .failed(departure.writeError ?? EPIPE) }
        }
        accepted.append(message)
        if let signal, signal.after == .writes(accepted.count) { pendingSignal = signal.1 }
        return .done(message.count)
    }

    func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> CallResult {
        reads += 1
        if isTTY(descriptor) { return readStream(into: buffer) }
        guard case .endpoint = descriptors[descriptor] else { return .failed(EBADF) }
        if let readError = departure?.readError { return .failed(readError) }
        guard let next = nextAnswer(), next.at <= clock.time else { return .failed(EAGAIN) }
        incoming.remove(at: next.index)
        answersRead += 1
        if let signal, signal.after == .answersRead(answersRead) { pendingSignal = signal.1 }
        let count = min(next.bytes.count, buffer.count)
        buffer.copyBytes(from: next.bytes.prefix(count))
        return .done(count)
    }

    func wait(for readiness: Readiness, on descriptor: Int32, milliseconds: Int32) -> WaitResult {
        waits += 1
        if let signal = deliverSignal() { return .signal(signal) }
        if departure?.hangsUp == true { return .ready }
        let deadline = clock.time + Double(milliseconds) / 1000
        switch readiness {
        case .writable:
            if held < ringSize { return .ready }
        case .readable:
            if let next = nextAnswer(), next.at <= deadline {
                clock.move(to: next.at)
                return .ready
            }
        }
        clock.move(to: deadline)
        return .timedOut
    }

    func sleep(milliseconds: Int32) -> ProbeSignal? {
        sleeps += 1
        if let signal = deliverSignal() { return signal }
        clock.advance(milliseconds: milliseconds)
        return nil
    }

    func receivedSignal() -> ProbeSignal? {
        deliverSignal()
        return received
    }

    func classDeviceNames() -> Set<String> {
        classDevices
    }

    func endpointNode(_ name: String) -> EndpointNodeState {
        guard nodeExists(name) else { return .absent }
        return .present(udevHandled: udevRunning ? true : nil)
    }

    func source(ofEndpoint name: String) -> RpmsgAddress? {
        created.contains(name) ? RpmsgAddress(1024) : nil
    }

    func exists(_ sysfsPath: String) -> Bool {
        if sysfsPath.hasPrefix("/sys/class/rpmsg/") { return classDevices.contains(String(sysfsPath.dropFirst("/sys/class/rpmsg/".count))) }
        if sysfsPath.contains("/tty/") { return !isGone }
        return !(isGone && sysfsPath == channelPath)
    }

    func terminalSettings(_ descriptor: Int32) -> TerminalQuery {
        guard case .tty(let name) = descriptors[descriptor] else { return .failed(ENOTTY) }
        if isGone { return .failed(EIO) }
        return .settings(terminals[name] ?? Self.cooked)
    }

    func setTerminalSettings(_ descriptor: Int32, _ settings: TerminalSettings) -> Int32 {
        guard case .tty(let name) = descriptors[descriptor] else { return ENOTTY }
        if isGone { return EIO }
        terminals[name] = settings
        terminalChanges.append(settings)
        return 0
    }

    func flushTerminal(_ descriptor: Int32) -> Int32 {
        guard isTTY(descriptor) else { return ENOTTY }
        incoming.removeAll()
        return 0
    }

    /// The settings a tty has now: what the next program that opens it gets.
    func terminal(_ name: String) -> TerminalSettings { terminals[name] ?? Self.cooked }

    // MARK: Inside

    private func isTTY(_ descriptor: Int32) -> Bool {
        if case .tty = descriptors[descriptor] { true } else { false }
    }

    /// What a tty's read returns: every byte that has arrived, joined across answers, up to the buffer's size; a
    /// hung-up tty reads as the end of the file.
    private func readStream(into buffer: UnsafeMutableRawBufferPointer) -> CallResult {
        if isGone { return .done(0) }
        var count = 0
        while count < buffer.count, let next = nextAnswer(), next.at <= clock.time {
            let taken = min(next.bytes.count, buffer.count - count)
            UnsafeMutableRawBufferPointer(rebasing: buffer[count..<(count + taken)]).copyBytes(from: next.bytes.prefix(taken))
            count += taken
            if taken < next.bytes.count {
                incoming[next.index].bytes.removeFirst(taken)
            } else {
                incoming.remove(at: next.index)
                answersRead += 1
                if let signal, signal.after == .answersRead(answersRead) { pendingSignal = signal.1 }
            }
        }
        return count > 0 ? .done(count) : .failed(EAGAIN)
    }

    private func nodeExists(_ name: String) -> Bool {
        guard created.contains(name) else { return classDevices.contains(name) }
        guard let delay = nodeDelayMilliseconds, let createdAt else { return false }
        return clock.time >= createdAt + delay / 1000
    }

    private func nextAnswer() -> (index: Int, at: Double, bytes: [UInt8])? {
        incoming.indices.min { incoming[$0].at < incoming[$1].at }.map { ($0, incoming[$0].at, incoming[$0].bytes) }
    }

    private func goAway(_ departure: Departure) {
        self.departure = departure
        incoming.removeAll()
        for name in created where classDevices.contains(name) {
            if !departure.classDeviceLingers { classDevices.remove(name) }
            removedByKernel.append(name)
        }
    }

    @discardableResult
    private func deliverSignal() -> ProbeSignal? {
        guard let pendingSignal else { return nil }
        self.pendingSignal = nil
        if received == nil { received = pendingSignal }
        return pendingSignal
    }
}

/// Remotes of the kinds the virtual board plays.
extension ScriptedRemote.Reaction {
    static func echo(_ message: [UInt8]) -> Self { .answer([message], afterMilliseconds: 0.25) }
}

/// Systems to probe: one remote (virtio0) with its ctrl and the demo channel at 0x1e, as root.
enum ProbeSystems {
    static let root = UserCredentials(uid: 0, gid: 0, groups: [0], userName: "root", groupNames: ["0": "root"])
    static let service = "rpmsg-openamp-demo-channel"

    static func oneRemote() -> Snapshot {
        let channel = SnapshotBuilders.channel(service, dst: 0x1e, on: 0)
        return Snapshot(
            source: "test",
            system: SystemContext(kernelRelease: "6.1.0", characterMajors: [CharacterMajor(major: 510, name: "rpmsg_char"), CharacterMajor(major: 511, name: "rpmsg_ctrl")],
                                  rpmsgBusPresent: true, rpmsgClassPresent: true),
            user: root,
            virtioDevices: [SnapshotBuilders.virtio(0)],
            channels: [channel],
            controlDevices: [SnapshotBuilders.control(0, on: 0)],
            drivers: [BusDriver(name: "rpmsg_chrdev"), BusDriver(name: "rpmsg_ctrl"), BusDriver(name: "rpmsg_ns")],
            kernelLog: KernelLog(source: "/dev/kmsg", readable: true, lines: [])
        )
    }

    /// The i.MX8QM story as root: the channel is on virtio1, and rpmsg_ctrl0 belongs to virtio0.
    static func twoRemotes() -> Snapshot {
        var snapshot = SnapshotBuilders.canonical(user: root)
        snapshot.endpointDevices = []
        return snapshot
    }

    static func channelPath(in snapshot: Snapshot) -> String {
        snapshot.channels[0].sysfsPath
    }

    /// The scripted remote behind `oneRemote()`.
    static func remote(_ script: @escaping (_ index: Int, _ message: [UInt8]) -> ScriptedRemote.Reaction = { _, message in .echo(message) }) -> ScriptedRemote {
        ScriptedRemote(classDevices: ["rpmsg_ctrl0"], channelPath: channelPath(in: oneRemote()), script: script)
    }
}

extension ProbeReport {
    /// Each step's name and verdict, in order.
    var verdicts: [String: ProbeReport.Verdict] {
        Dictionary(steps.map { ($0.name, $0.verdict) }, uniquingKeysWith: { first, _ in first })
    }

    func outcome(of action: ProbeReport.Action) -> ProbeReport.Outcome? {
        steps.first { $0.action == action }?.outcome
    }

    var codes: [FindingCode] { findings.map(\.id) }

    func severity(of code: FindingCode) -> Severity? { findings.first { $0.id == code }?.severity }
}

/// Runs the probe against a scripted remote.
func probe(_ options: ProbeOptions, on remote: ScriptedRemote, snapshot: Snapshot = ProbeSystems.oneRemote()) -> ProbeReport {
    ProbeRunner(options: options, snapshot: snapshot, devices: remote, clock: remote.clock).run()
}
