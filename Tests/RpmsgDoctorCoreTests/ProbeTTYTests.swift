#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RpmsgDoctorCore

/// Systems with an rpmsg tty: a channel "rpmsg-tty" at 0x1e on virtio0, bound by rpmsg_tty, with /dev/ttyRPMSG0.
enum TTYSystems {
    static let tty = "/dev/ttyRPMSG0"

    static func ttyOf(_ channel: Channel) -> RpmsgTTY {
        RpmsgTTY(name: "ttyRPMSG0", sysfsPath: channel.sysfsPath + "/tty/ttyRPMSG0", devNumber: "252:0", hostChannel: channel.deviceName,
                 virtio: channel.virtio, node: SnapshotBuilders.node("ttyRPMSG0", dev: "252:0"))
    }

    static func oneRemote() -> Snapshot {
        var snapshot = ProbeSystems.oneRemote()
        snapshot.channels = [SnapshotBuilders.channel("rpmsg-tty", dst: 0x1e, on: 0, driver: "rpmsg_tty")]
        snapshot.ttys = [ttyOf(snapshot.channels[0])]
        return snapshot
    }

    /// The i.MX8QM story with its tty: the channel (bound by imx_rpmsg_tty, ttyRPMSG0) on virtio1, rpmsg_ctrl0 on virtio0.
    static func twoRemotes() -> Snapshot {
        var snapshot = ProbeSystems.twoRemotes()
        snapshot.ttys = [ttyOf(snapshot.channels[0])]
        return snapshot
    }

    static func remote(_ script: @escaping (_ index: Int, _ message: [UInt8]) -> ScriptedRemote.Reaction = { _, message in .echo(message) }) -> ScriptedRemote {
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0"], channelPath: oneRemote().channels[0].sysfsPath, script: script)
        remote.ttys = ["ttyRPMSG0"]
        return remote
    }
}

/// The probe through rpmsg ttys: raw mode and back on every way out, the byte stream checked whatever the tty does to
/// message boundaries, and the tty as a witness when an endpoint gets no answer.
@Suite struct ProbeTTYTests {
    private func options(_ target: ProbeOptions.Target = .device(path: TTYSystems.tty), count: Int = 5, timeout: Int = 1000,
                         expect: ProbeOptions.Expectation = .echo, size: Int = 64) -> ProbeOptions {
        ProbeOptions(target: target, count: count, size: size, timeoutMilliseconds: timeout, expectation: expect)
    }

    /// The tty has the settings it had before the probe, and every descriptor is closed.
    private func expectRestored(_ remote: ScriptedRemote, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(remote.terminal("ttyRPMSG0") == ScriptedRemote.cooked, "terminal settings not restored", sourceLocation: sourceLocation)
        #expect(remote.descriptorsLeft == [], "descriptor left open", sourceLocation: sourceLocation)
    }

    @Test func echoingTTYPassesEveryStepInRawMode() throws {
        let remote = TTYSystems.remote()
        let report = probe(options(), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.steps.map(\.name) == [
            "find target", "open /dev/ttyRPMSG0", "raw mode /dev/ttyRPMSG0", "write 5 messages of 64 bytes", "answers received",
            "answers checked (echo)", "restore terminal settings /dev/ttyRPMSG0",
        ])
        #expect(report.steps.allSatisfy { $0.verdict == .ok }, "\(report.steps)")
        #expect(report.passed && report.findings.isEmpty)
        #expect((report.counts.sent, report.counts.intact, report.counts.lost) == (5, 5, 0))
        #expect(report.tty == TTYSystems.tty && report.endpoint == nil && report.control == nil)
        let changes = remote.terminalChanges
        #expect(changes.count == 2 && changes[0].isRaw && changes[1] == ScriptedRemote.cooked, "raw for the exchange, then as it was")
        #expect(remote.created.isEmpty, "no endpoint is created for a tty")
        expectRestored(remote)
    }

    @Test func serviceBoundToTheTTYDriverGoesThroughTheTTY() {
        let remote = TTYSystems.remote()
        let report = probe(options(.service("rpmsg-tty")), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.target == "service \"rpmsg-tty\" (dst 0x1e) on virtio0 through /dev/ttyRPMSG0")
        #expect(report.tty == TTYSystems.tty && report.counts.intact == 5)
        #expect(remote.opened == [TTYSystems.tty])
        expectRestored(remote)
    }

    /// A tty may split one message over several reads and join several into one read: the stream is what counts.
    @Test(arguments: [(7, nil), (1, nil), (64, 5), (nil, 13), (3, 3)] as [(Int?, Int?)])
    func splitAndJoinedMessagesAreCheckedOnTheStream(pieces: Int?, writeLimit: Int?) {
        let remote = TTYSystems.remote()
        remote.ttyPieces = pieces
        remote.ttyWriteLimit = writeLimit
        let report = probe(options(count: 20, size: 100), on: remote, snapshot: TTYSystems.oneRemote())
        #expect((report.counts.sent, report.counts.intact, report.counts.lost, report.counts.corrupted) == (20, 20, 0, 0), "\(report.counts)")
        #expect(report.passed)
        expectRestored(remote)
    }

    @Test func answersJoinedWithTheNextMessagesAreNotLost() {
        // Every answer comes twice: the duplicate joins the next answer on the stream.
        let remote = TTYSystems.remote { _, message in .answer([message, message], afterMilliseconds: 0.25) }
        let report = probe(options(count: 4), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.counts.intact == 4 && report.counts.lost == 0)
        #expect(report.counts.duplicated >= 3, "\(report.counts)")
        expectRestored(remote)
    }

    @Test func silentTTYIsSilentAndConsumes() {
        let remote = TTYSystems.remote { _, _ in .consume }
        let report = probe(options(timeout: 200), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.outcome(of: .receiveAnswers) == .answered(0, of: 5, timeoutMilliseconds: 200, late: 0))
        #expect(report.outcome(of: .consumptionCheck) == .consumed(300))
        #expect(report.codes == [.remoteSilent])
        #expect(report.findings[0].evidence.first == "5 sent to 0x1e through /dev/ttyRPMSG0, 0 answered within 200 ms")
        #expect(!report.passed)
        expectRestored(remote)
    }

    @Test func ttyOfARemoteThatDoesNotConsumeFillsTheRing() {
        // rpmsg_tty says ENOMEM when no TX buffer is free; poll cannot wait for one.
        let remote = TTYSystems.remote { _, _ in .hold }
        let report = probe(options(timeout: 100), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.outcome(of: .consumptionCheck) == .txRingFull(after: 251, timeoutMilliseconds: 100))
        #expect(report.codes == [.remoteNotConsuming])
        #expect(remote.sleeps < 200, "ENOMEM is retried a few times per timeout, not in a busy loop")
        expectRestored(remote)
    }

    @Test func truncatingTTYIsCountedAsTruncated() {
        let remote = TTYSystems.remote { _, message in .echo(Array(message.prefix(40))) }
        let report = probe(options(timeout: 100), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.counts.truncated == 5 && report.counts.lost == 0, "\(report.counts)")
        #expect(report.codes == [.remoteAnswersOtherData])
        expectRestored(remote)
    }

    @Test func replyOfTheFirmwaresOwnArrivingInPieces() {
        let remote = TTYSystems.remote { _, _ in .echo(Array("status: ok, uptime 12 s".utf8)) }
        remote.ttyPieces = 5
        let report = probe(options(expect: .reply), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.counts.intact == 5 && report.counts.answered == 5, "one reply per message, however it was split: \(report.counts)")
        expectRestored(remote)
    }

    // MARK: Every way out restores the settings

    @Test(arguments: ProbeSignal.allCases)
    func aSignalRestoresTheSettings(signal: ProbeSignal) {
        let remote = TTYSystems.remote()
        remote.signal = (after: .writes(3), signal)
        let report = probe(options(count: 100), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.interrupted == signal)
        #expect(report.counts.sent == 3 && report.counts.lost == 0)
        #expect(report.outcome(of: .restoreTerminal(TTYSystems.tty)) == .done)
        #expect(ProbeText(report, style: Style(enabled: false)).render().contains("interrupted by \(signal.rawValue): terminal settings restored"))
        expectRestored(remote)
    }

    @Test func aTTYThatGoesAwayHasNothingToRestore() {
        let remote = TTYSystems.remote { index, message in index < 2 ? .echo(message) : .goAway(.init(writeAccepted: true)) }
        let report = probe(options(), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.outcome(of: .readAnswer(2)) == .systemCall(SystemCallError("read", TTYSystems.tty, EIO)))
        #expect(report.outcome(of: .restoreTerminal(TTYSystems.tty)) == .ttyGone)
        #expect(report.codes == [.remoteGone])
        #expect(remote.descriptorsLeft == [])
    }

    @Test func aTTYThatCannotBeOpenedIsNotTouched() {
        let remote = TTYSystems.remote()
        remote.openErrors[TTYSystems.tty] = EACCES
        let report = probe(options(), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.codes == [.permissionDenied])
        #expect(remote.terminalChanges.isEmpty && report.outcome(of: .restoreTerminal(TTYSystems.tty)) == nil)
    }

    @Test func aDeviceThatIsNotATerminalIsRefusedBeforeAnythingIsSent() {
        let remote = TTYSystems.remote()
        remote.ttys = []
        let report = probe(options(.device(path: "/dev/ttyRPMSG7")), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.outcome(of: .open("/dev/ttyRPMSG7")) == .systemCall(SystemCallError("open", "/dev/ttyRPMSG7", ENOENT)))
        #expect(remote.accepted.isEmpty)
    }

    @Test(arguments: ["/dev/ttyS0", "/dev/tty", "/dev/ttyUSB0"])
    func aTTYThatIsNotAnRpmsgTTYIsRefusedBeforeItIsOpened(path: String) {
        let remote = TTYSystems.remote()
        let report = probe(options(.device(path: path)), on: remote, snapshot: TTYSystems.oneRemote())
        #expect(report.codes == [.unknownControl])
        #expect(report.outcome(of: .open(path)) == nil && remote.terminalChanges.isEmpty)
    }

    // MARK: The tty as a witness

    /// The story: the endpoint made through the wrong ctrl gets nothing, the channel's tty answers.
    @Test func whenTheEndpointFailsAndTheTTYAnswersTheRemoteIsAlive() throws {
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg_ctrl1"]) { _, _ in .consume }
        remote.ttys = ["ttyRPMSG0"]
        remote.ttyScript = { _, message in .echo(message) }
        let report = probe(options(.control(path: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30)), timeout: 300), on: remote, snapshot: TTYSystems.twoRemotes())
        #expect(report.outcome(of: .compareWithTTY(TTYSystems.tty)) == .ttyAnswered(3, of: 3, timeoutMilliseconds: 300))
        #expect(report.verdicts["compare with /dev/ttyRPMSG0, the channel's tty"] == .ok)
        #expect(report.comparison == ProbeReport.Comparison(tty: TTYSystems.tty, sent: 3, answered: 3))
        #expect(report.codes == [.wrongControl, .ttyAnswersEndpointDoesNot], "the mapping first, then what the tty proves")
        let finding = try #require(report.findings.first { $0.id == .ttyAnswersEndpointDoesNot })
        #expect(finding.summary == "The remote answers through /dev/ttyRPMSG0 but not through /dev/rpmsg0: the remote is alive, the endpoint is the problem")
        #expect(finding.commands == ["rpmsg-doctor scan --ctrl /dev/rpmsg_ctrl0 --dst 0x1e"])
        #expect(remote.endpointsLeft == [] && remote.descriptorsLeft == [])
        #expect(remote.terminal("ttyRPMSG0") == ScriptedRemote.cooked)
    }

    @Test func anEndpointThatIsSilentWhileItsTTYAnswersIsNotASilentRemote() {
        var snapshot = TTYSystems.oneRemote()
        snapshot.endpointDevices = [SnapshotBuilders.endpoint(0, through: snapshot.controlDevices[0], name: "rpmsg-tty", src: 1025, dst: 0x1e)]
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg0"], script: { _, _ in .consume })
            .with(ttys: ["ttyRPMSG0"], ttyScript: { _, message in .echo(message) })
        let report = probe(options(.device(path: "/dev/rpmsg0"), timeout: 300), on: remote, snapshot: snapshot)
        #expect(report.codes == [.ttyAnswersEndpointDoesNot], "not RD505: the remote answers")
        #expect(report.comparison?.answered == 3)
        #expect(report.findings.first?.commands == ["rpmsg-doctor scan"])
    }

    @Test func whenTheTTYIsSilentTooTheRemoteIsSilent() {
        var snapshot = TTYSystems.oneRemote()
        snapshot.endpointDevices = [SnapshotBuilders.endpoint(0, through: snapshot.controlDevices[0], name: "rpmsg-tty", src: 1025, dst: 0x1e)]
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg0"], script: { _, _ in .consume }).with(ttys: ["ttyRPMSG0"], ttyScript: nil)
        let report = probe(options(.device(path: "/dev/rpmsg0"), timeout: 300), on: remote, snapshot: snapshot)
        #expect(report.outcome(of: .compareWithTTY(TTYSystems.tty)) == .ttyAnswered(0, of: 3, timeoutMilliseconds: 300))
        #expect(report.codes == [.remoteSilent])
        #expect(remote.terminal("ttyRPMSG0") == ScriptedRemote.cooked && remote.descriptorsLeft == [])
    }

    @Test func anEndpointThatAnswersNeedsNoComparison() {
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg_ctrl1"]).with(ttys: ["ttyRPMSG0"], ttyScript: nil)
        let report = probe(options(.control(path: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30))), on: remote, snapshot: TTYSystems.twoRemotes())
        #expect(report.passed && report.comparison == nil)
        #expect(!remote.opened.contains(TTYSystems.tty))
    }

    @Test func aSignalDuringTheEndpointsExchangeSkipsTheComparison() {
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg_ctrl1"]) { _, _ in .consume }.with(ttys: ["ttyRPMSG0"], ttyScript: nil)
        remote.signal = (after: .writes(2), .interrupt)
        let report = probe(options(.control(path: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30)), timeout: 300), on: remote, snapshot: TTYSystems.twoRemotes())
        #expect(report.interrupted == .interrupt && report.comparison == nil)
        #expect(!remote.opened.contains(TTYSystems.tty))
    }
}

extension ScriptedRemote {
    func with(ttys: Set<String>, ttyScript: ((_ index: Int, _ message: [UInt8]) -> Reaction)?) -> ScriptedRemote {
        self.ttys = ttys
        self.ttyScript = ttyScript
        return self
    }
}
