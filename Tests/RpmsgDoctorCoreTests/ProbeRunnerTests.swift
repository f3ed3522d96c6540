#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RpmsgDoctorCore

/// The probe against scripted remotes, one per way a remote core behaves on the virtual board. Each test checks
/// the steps' verdicts, the counts, the finding codes, and that the endpoint the probe created was destroyed.
@Suite struct ProbeRunnerTests {
    private let service = ProbeOptions.Target.service(ProbeSystems.service)
    private let endpoint = "/dev/rpmsg0"

    private func options(count: Int = 5, timeout: Int = 1000, expect: ProbeOptions.Expectation = .echo, size: Int = 64,
                         payload: [UInt8]? = nil) -> ProbeOptions {
        ProbeOptions(target: service, count: count, size: size, payload: payload, timeoutMilliseconds: timeout, expectation: expect)
    }

    /// The endpoint the probe made is gone (destroyed by it, or removed by the kernel) and every descriptor is closed.
    private func expectCleanedUp(_ remote: ScriptedRemote, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(remote.endpointsLeft == [], "endpoint left behind", sourceLocation: sourceLocation)
        #expect(remote.descriptorsLeft == [], "descriptor left open", sourceLocation: sourceLocation)
    }

    @Test func echoingRemotePassesEveryStep() throws {
        let remote = ProbeSystems.remote()
        let report = probe(options(), on: remote)
        #expect(report.steps.map(\.name) == [
            "find target", "open /dev/rpmsg_ctrl0", "create endpoint (name \"rpmsg-openamp-demo-channel\" src ANY dst 0x1e)",
            "endpoint node \(endpoint)", "open \(endpoint)", "write 5 messages of 64 bytes", "answers received", "answers checked (echo)",
            "destroy endpoint \(endpoint)",
        ])
        #expect(report.steps.allSatisfy { $0.verdict == .ok }, "\(report.steps)")
        #expect(report.passed && report.findings.isEmpty)
        #expect((report.counts.sent, report.counts.intact, report.counts.lost) == (5, 5, 0))
        #expect(report.outcome(of: .receiveAnswers) == .answered(5, of: 5, timeoutMilliseconds: 1000, late: 0))
        #expect(report.outcome(of: .endpointNode(endpoint)) == .nodeAppeared(milliseconds: 5, udevDone: nil))
        #expect(report.endpoint == endpoint && report.src == RpmsgAddress(1024))
        #expect(remote.destroyed == ["rpmsg0"])
        expectCleanedUp(remote)
    }

    @Test func roundTripsComeFromTheInjectedClock() throws {
        let remote = ProbeSystems.remote { _, message in .answer([message], afterMilliseconds: 2) }
        let report = probe(options(count: 10), on: remote)
        let timing = try #require(report.timing)
        #expect(abs(timing.medianMicroseconds - 2000) < 0.01 && abs(timing.maximumMicroseconds - 2000) < 0.01)
        #expect(abs(timing.messagesPerSecond - 500) < 0.01, "10 answers in 20 ms of the remote's time")
    }

    /// What the C client does per message, and no more: write, clock_gettime, poll, read, clock_gettime.
    @Test func eachMessageCostsFiveCalls() {
        let remote = ProbeSystems.remote()
        let report = probe(options(count: 100), on: remote)
        #expect(report.counts.intact == 100)
        #expect((remote.writes, remote.waits, remote.reads) == (100, 100, 100))
        let single = ProbeSystems.remote()
        _ = probe(options(count: 1), on: single)
        #expect(remote.clock.reads - single.clock.reads == 99 * 2, "two clock readings per further message")
    }

    @Test func messagesAreTheFramesTheOptionsDescribe() {
        let remote = ProbeSystems.remote()
        let options = options(count: 3, size: 496)
        _ = probe(options, on: remote)
        #expect(remote.accepted == (0..<3).map { options.message(UInt32($0)) })
    }

    // MARK: Remotes that do not answer

    @Test func silentRemoteConsumesButNeverAnswers() {
        let remote = ProbeSystems.remote { _, _ in .consume }
        let report = probe(options(), on: remote)
        #expect(report.verdicts["answers received"] == .failed)
        #expect(report.outcome(of: .receiveAnswers) == .answered(0, of: 5, timeoutMilliseconds: 1000, late: 0))
        #expect(report.outcome(of: .consumptionCheck) == .consumed(300))
        #expect(report.verdicts["consumption check"] == .ok)
        #expect(report.verdicts["answers checked (echo)"] == nil, "nothing to check")
        #expect((report.counts.sent, report.counts.answered, report.counts.lost) == (5, 0, 5))
        #expect(report.codes == [.remoteSilent])
        #expect(report.findings[0].evidence.contains { $0.contains("300 further messages were consumed") })
        #expect(remote.accepted.count == 305)
        expectCleanedUp(remote)
    }

    @Test func remoteThatDoesNotConsumeFillsTheRing() {
        let remote = ProbeSystems.remote { _, _ in .hold }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .consumptionCheck) == .txRingFull(after: 251, timeoutMilliseconds: 1000))
        #expect(report.verdicts["consumption check"] == .failed)
        #expect(report.txRingFull == 251)
        #expect(report.codes == [.remoteNotConsuming] && report.severity(of: .remoteNotConsuming) == .error)
        #expect(!report.codes.contains(.remoteSilent), "a full ring is not silence")
        #expect(remote.accepted.count == 256)
        expectCleanedUp(remote)
    }

    @Test func writesStallWhenTheRingIsFullWithoutExpectingAnswers() {
        let remote = ProbeSystems.remote { _, _ in .hold }
        remote.ringSize = 8
        let report = probe(options(count: 20, expect: .none), on: remote)
        #expect(report.outcome(of: .writeMessage(8)) == .txRingFull(after: 8, timeoutMilliseconds: 1000))
        #expect(report.outcome(of: .writeMessages(count: 20, bytes: 64)) == .accepted(8, of: 20))
        #expect(report.verdicts["answers received"] == nil)
        #expect(report.codes == [.remoteNotConsuming])
        expectCleanedUp(remote)
    }

    @Test func remoteThatStopsAnsweringIsSilentNotGone() {
        let remote = ProbeSystems.remote { index, message in index < 2 ? .echo(message) : .consume }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .receiveAnswers) == .answered(2, of: 5, timeoutMilliseconds: 1000, late: 0))
        #expect(report.verdicts["consumption check"] == nil, "some answers came: no need to check consumption")
        #expect(report.codes == [.remoteSilent])
        #expect(report.findings[0].summary.contains("2 of 5"))
        expectCleanedUp(remote)
    }

    @Test func silenceThatTheScanExplainsNeedsNoConsumptionCheck() {
        // The i.MX8QM story: rpmsg_ctrl0 belongs to virtio0, the channel at 0x1e to virtio1.
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg_ctrl1"]) { _, _ in .consume }
        let options = ProbeOptions(target: .control(path: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(0x1e)), timeoutMilliseconds: 300)
        let report = probe(options, on: remote, snapshot: ProbeSystems.twoRemotes())
        #expect(report.outcome(of: .consumptionCheck) == .notNeeded(explainedBy: .wrongControl))
        #expect(report.verdicts["consumption check"] == .skipped)
        #expect(report.codes.first == .wrongControl)
        #expect(!report.codes.contains(.remoteSilent), "RD101 explains the silence")
        #expect(remote.accepted.count == 5)
        expectCleanedUp(remote)
    }

    // MARK: Remotes that go away

    @Test func crashOnWriteIsRemoteGone() {
        let remote = ProbeSystems.remote { index, message in index < 2 ? .echo(message) : .goAway(.init()) }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .writeMessage(2)) == .systemCall(SystemCallError("write", endpoint, EPIPE)))
        #expect(report.verdicts["write message 2"] == .failed)
        #expect(report.outcome(of: .writeMessages(count: 5, bytes: 64)) == .accepted(2, of: 5))
        #expect((report.counts.sent, report.counts.intact, report.counts.lost) == (2, 2, 0))
        #expect(report.codes == [.remoteGone])
        // The kernel removed the endpoint with its virtio device: destroying it again would free it twice.
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .removedByKernel)
        #expect(remote.destroyed.isEmpty && remote.removedByKernel == ["rpmsg0"])
        expectCleanedUp(remote)
    }

    @Test(arguments: [EPIPE, ENODEV, ENETRESET])
    func crashWhileWaitingForTheAnswerIsRemoteGone(error: Int32) {
        let remote = ProbeSystems.remote { index, message in
            index < 3 ? .echo(message) : .goAway(.init(writeAccepted: true, writeError: error, readError: error))
        }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .readAnswer(3)) == .systemCall(SystemCallError("read", endpoint, error)))
        #expect((report.counts.sent, report.counts.intact, report.counts.lost) == (4, 3, 1))
        #expect(report.codes == [.remoteGone])
        #expect(report.verdicts["consumption check"] == nil)
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .removedByKernel)
        expectCleanedUp(remote)
    }

    /// 6.1 clears the endpoint (EPIPE) before it removes its class device: a destroy in between would be the second.
    @Test func anEndpointThatAnsweredEPIPEIsNeverDestroyedAgain() {
        let remote = ProbeSystems.remote { index, message in
            index < 1 ? .echo(message) : .goAway(.init(writeAccepted: true, classDeviceLingers: true))
        }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .readAnswer(1)) == .systemCall(SystemCallError("read", endpoint, EPIPE)))
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .removedByKernel)
        #expect(remote.destroyedTwice.isEmpty, "RPMSG_DESTROY_EPT_IOCTL after EPIPE")
        #expect(remote.descriptorsLeft == [])
    }

    @Test func channelThatVanishesQuietlyIsRemoteGoneNotSilent() {
        let remote = ProbeSystems.remote { index, message in
            index < 1 ? .echo(message) : .goAway(.init(writeAccepted: true, writeError: nil, readError: nil, hangsUp: false))
        }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .receiveAnswers) == .answered(1, of: 5, timeoutMilliseconds: 1000, late: 0))
        #expect(report.codes == [.remoteGone])
        #expect(report.findings[0].evidence.first == "\(ProbeSystems.channelPath(in: ProbeSystems.oneRemote())) existed before the probe and is gone now")
        expectCleanedUp(remote)
    }

    // MARK: Answers that are not the echo

    @Test func corruptedEchoesAreErrors() {
        let remote = ProbeSystems.remote { _, message in
            var damaged = message
            damaged[40] ^= 0xFF
            return .echo(damaged)
        }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .checkAnswers(.echo)) == .sorted(.init(intact: 0, truncated: 0, corrupted: 5, otherData: 0, duplicated: 0)))
        #expect(report.verdicts["answers received"] == .ok && report.verdicts["answers checked (echo)"] == .failed)
        #expect(report.codes == [.remoteAnswersOtherData] && report.severity(of: .remoteAnswersOtherData) == .error)
        #expect(report.timing == nil, "no intact answer, no round trip")
        expectCleanedUp(remote)
    }

    @Test func truncatedEchoesAreCounted() {
        let remote = ProbeSystems.remote { _, message in .echo(Array(message.prefix(40))) }
        let report = probe(options(), on: remote)
        #expect(report.counts.truncated == 5)
        #expect(report.codes == [.remoteAnswersOtherData] && report.severity(of: .remoteAnswersOtherData) == .error)
        expectCleanedUp(remote)
    }

    @Test func otherDataIsAWarningThatPointsAtExpectReply() throws {
        let remote = ProbeSystems.remote { _, _ in .echo(Array("pong".utf8)) }
        let report = probe(options(), on: remote)
        #expect(report.counts.otherData == 5 && report.counts.lost == 0)
        #expect(report.verdicts["answers checked (echo)"] == .failed)
        let finding = try #require(report.findings.first)
        #expect(report.codes == [.remoteAnswersOtherData] && finding.severity == .warning)
        #expect(finding.commands == ["rpmsg-doctor probe --expect reply --service \(ProbeSystems.service)"])
        expectCleanedUp(remote)
    }

    @Test func repliesPassWhenRepliesAreExpected() {
        let remote = ProbeSystems.remote { _, _ in .echo(Array("pong".utf8)) }
        let report = probe(options(expect: .reply, payload: Array("status?".utf8)), on: remote)
        #expect(report.passed && report.findings.isEmpty)
        #expect(report.verdicts["answers checked (reply)"] == .ok && report.counts.intact == 5)
        #expect(remote.accepted.allSatisfy { $0 == Array("status?".utf8) }, "with --expect reply the payload goes out as is")
        expectCleanedUp(remote)
    }

    @Test func lateAnswersAreCountedAndNotLost() {
        // Message 1's answer comes 1000.1 ms after it: past its 1 s timeout, while the probe waits for message 2.
        let remote = ProbeSystems.remote { index, message in .answer([message], afterMilliseconds: index == 1 ? 1000.1 : 0.25) }
        let report = probe(options(), on: remote)
        #expect((report.counts.late, report.counts.lost, report.counts.intact) == (1, 0, 4))
        #expect(report.outcome(of: .receiveAnswers) == .answered(5, of: 5, timeoutMilliseconds: 1000, late: 1))
        #expect(report.steps.first { $0.action == .receiveAnswers }?.detail == "5 of 5 answered within 1000 ms, 1 late")
        #expect(report.findings.isEmpty)
        expectCleanedUp(remote)
    }

    @Test func answerThatNeverComesIsLost() {
        let remote = ProbeSystems.remote { index, message in index == 4 ? .consume : .echo(message) }
        let report = probe(options(), on: remote)
        #expect((report.counts.lost, report.counts.intact) == (1, 4))
        #expect(report.verdicts["answers received"] == .failed)
        #expect(report.codes == [.remoteSilent])
        expectCleanedUp(remote)
    }

    @Test func duplicatedAnswersAreCounted() {
        let remote = ProbeSystems.remote { _, message in .answer([message, message], afterMilliseconds: 0.25) }
        let report = probe(options(), on: remote)
        // Each copy is read while the probe waits for the next message; the last one is never read.
        #expect((report.counts.intact, report.counts.duplicated, report.counts.lost) == (5, 4, 0))
        #expect(report.outcome(of: .checkAnswers(.echo)) == .sorted(.init(intact: 5, truncated: 0, corrupted: 0, otherData: 0, duplicated: 4)))
        #expect(report.codes == [.remoteAnswersOtherData] && report.severity(of: .remoteAnswersOtherData) == .error)
        expectCleanedUp(remote)
    }

    @Test func oversizedMessageIsRefusedByTheKernel() {
        let remote = ProbeSystems.remote { _, _ in .refuse(EMSGSIZE) }
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .writeMessage(0)) == .systemCall(SystemCallError("write", endpoint, EMSGSIZE)))
        #expect(report.codes == [.messageTooBig] && report.severity(of: .messageTooBig) == .error)
        #expect(remote.destroyed == ["rpmsg0"])
        expectCleanedUp(remote)
    }

    // MARK: Signals

    @Test(arguments: [ProbeSignal.interrupt, .terminate])
    func signalMidExchangeStopsAndStillDestroys(signal: ProbeSignal) {
        let remote = ProbeSystems.remote()
        remote.signal = (after: .writes(3), signal)
        let report = probe(options(count: 1000), on: remote)
        #expect(report.interrupted == signal && !report.passed)
        #expect(report.outcome(of: .writeMessages(count: 1000, bytes: 64)) == .accepted(3, of: 1000))
        // The third message's wait was cut short: it is not lost, nobody waited for its answer.
        #expect(report.outcome(of: .receiveAnswers) == .answered(2, of: 2, timeoutMilliseconds: 1000, late: 0))
        #expect((report.counts.sent, report.counts.lost) == (3, 0))
        #expect(report.verdicts["consumption check"] == nil)
        #expect(report.findings.isEmpty, "an interruption is not the remote's fault")
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .done)
        #expect(remote.destroyed == ["rpmsg0"])
        #expect(signal.exitStatus == (signal == .interrupt ? 130 : 143))
        expectCleanedUp(remote)
    }

    @Test func signalDuringTheIntervalStops() {
        let remote = ProbeSystems.remote()
        remote.signal = (after: .answersRead(2), .interrupt)
        remote.nodeDelayMilliseconds = 0
        var options = options(count: 10)
        options.intervalMilliseconds = 500
        let report = probe(options, on: remote)
        #expect(report.interrupted == .interrupt)
        #expect((report.counts.sent, report.counts.intact, report.counts.lost) == (2, 2, 0), "the signal came in the pause after the second answer")
        #expect(remote.sleeps == 2, "one pause after the first answer, the second cut short")
        #expect(remote.destroyed == ["rpmsg0"])
        expectCleanedUp(remote)
    }

    @Test func signalDuringTheConsumptionCheckLeavesItUnjudged() {
        // A remote that holds every buffer: the check's writes wait for room once the ring is full, and the signal comes then.
        let remote = ProbeSystems.remote { _, _ in .hold }
        remote.signal = (after: .writes(100), .terminate)
        let report = probe(options(), on: remote)
        #expect(report.interrupted == .terminate)
        #expect(report.verdicts["consumption check"] == nil)
        #expect(report.txRingFull == nil && !report.codes.contains(.remoteNotConsuming), "the ring did not stay full for a whole timeout")
        #expect(remote.accepted.count == 256)
        #expect(remote.destroyed == ["rpmsg0"])
        expectCleanedUp(remote)
    }

    // MARK: Opening and creating

    @Test func permissionDeniedOnTheCtrl() {
        let remote = ProbeSystems.remote()
        remote.openErrors["/dev/rpmsg_ctrl0"] = EACCES
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .open("/dev/rpmsg_ctrl0")) == .systemCall(SystemCallError("open", "/dev/rpmsg_ctrl0", EACCES)))
        #expect(report.steps.first { $0.action == .open("/dev/rpmsg_ctrl0") }?.detail == "EACCES: Permission denied")
        #expect(report.codes == [.permissionDenied])
        #expect(remote.created.isEmpty && remote.writes == 0)
        #expect(!report.steps.contains { if case .destroyEndpoint = $0.action { true } else { false } }, "nothing to destroy")
        expectCleanedUp(remote)
    }

    @Test func permissionDeniedOnTheNewEndpointIsRetriedWhileUdevWorks() {
        let remote = ProbeSystems.remote()
        remote.udevRunning = true
        remote.openErrors[endpoint] = EACCES
        var options = options()
        options.nodeWaitMilliseconds = 200
        let report = probe(options, on: remote)
        #expect(remote.opened.filter { $0 == endpoint }.count > 10, "retried every 10 ms for the node wait")
        #expect(report.outcome(of: .open(endpoint)) == .systemCall(SystemCallError("open", endpoint, EACCES)))
        #expect(report.codes == [.permissionDenied])
        // Never opened, so it cannot be destroyed: said as a warning, not hidden.
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .leftBehind && report.verdicts["destroy endpoint \(endpoint)"] == .warning)
        #expect(remote.endpointsLeft == ["rpmsg0"] && remote.descriptorsLeft == [])
    }

    @Test func ctrlMissingFromDev() {
        let remote = ProbeSystems.remote()
        remote.openErrors["/dev/rpmsg_ctrl0"] = ENOENT
        let report = probe(options(), on: remote)
        #expect(report.codes == [.nodeMissing])
        #expect(remote.created.isEmpty)
        expectCleanedUp(remote)
    }

    @Test func ioctlRefusedMeansNotACtrl() {
        let remote = ProbeSystems.remote()
        remote.createError = ENOTTY
        let report = probe(options(), on: remote)
        #expect(report.steps.last?.verdict == .failed)
        #expect(report.outcome(of: .createEndpoint(name: ProbeSystems.service, src: .any, dst: RpmsgAddress(0x1e)))
            == .systemCall(SystemCallError("RPMSG_CREATE_EPT_IOCTL", "/dev/rpmsg_ctrl0", ENOTTY)))
        #expect(report.codes == [.unknownControl])
        #expect(remote.created.isEmpty)
        expectCleanedUp(remote)
    }

    @Test func takenSourceAddressOnOpenIsRD504() {
        let remote = ProbeSystems.remote()
        remote.openErrors[endpoint] = EINVAL
        let report = probe(options(), on: remote)
        #expect(report.codes == [.addressTaken] && report.severity(of: .addressTaken) == .error)
        #expect(remote.opened.filter { $0 == endpoint }.count == 1, "only EACCES and EPERM are retried")
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .leftBehind)
    }

    @Test func srcThatScanKnowsIsHeldIsRefusedBeforeCreating() {
        let remote = ProbeSystems.remote()
        var options = options()
        options.src = .nameService
        let report = probe(options, on: remote)
        guard case .sourceTaken = report.outcome(of: .checkSource(.nameService)) else {
            Issue.record("no src check: \(report.steps)")
            return
        }
        #expect(report.codes.contains(.addressTaken))
        #expect(remote.created.isEmpty, "an endpoint that could not be opened could not be destroyed")
        expectCleanedUp(remote)
    }

    @Test func busyEndpointDeviceNamesItsHolder() throws {
        var snapshot = ProbeSystems.oneRemote()
        var device = SnapshotBuilders.endpoint(0, through: snapshot.controlDevices[0], name: ProbeSystems.service, src: 1024, dst: 0x1e)
        device.holders = [ProcessReference(pid: 4242, command: "my-app")]
        snapshot.endpointDevices = [device]
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg0"])
        remote.openErrors["/dev/rpmsg0"] = EBUSY
        let report = probe(ProbeOptions(target: .device(path: "/dev/rpmsg0")), on: remote, snapshot: snapshot)
        let busy = try #require(report.findings.first { $0.id == .endpointBusy })
        #expect(busy.severity == .error && busy.evidence.contains("held by pid 4242 (my-app)"))
        #expect(report.codes.first == .endpointBusy)
        #expect(!report.steps.contains { if case .destroyEndpoint = $0.action { true } else { false } }, "not ours to destroy")
        expectCleanedUp(remote)
    }

    @Test func existingEndpointDeviceIsUsedAndNotDestroyed() {
        let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg0"])
        let report = probe(ProbeOptions(target: .device(path: "/dev/rpmsg0")), on: remote)
        #expect(report.passed && report.counts.intact == 5)
        #expect(remote.created.isEmpty && remote.destroyed.isEmpty)
        #expect(remote.descriptorsLeft == [])
    }

    @Test func endpointDeviceThatNeverAppears() {
        let remote = ProbeSystems.remote()
        remote.createMakesDevice = false
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .findEndpointDevice) == .noNewDevice)
        #expect(remote.writes == 0)
        #expect(remote.descriptorsLeft == [])
    }

    @Test func nodeThatNeverAppearsIsReportedAndLeftBehind() {
        let remote = ProbeSystems.remote()
        remote.nodeDelayMilliseconds = nil
        let report = probe(options(), on: remote)
        #expect(report.outcome(of: .endpointNode(endpoint)) == .nodeMissing(milliseconds: 2000))
        #expect(report.outcome(of: .destroyEndpoint(endpoint)) == .leftBehind)
        #expect(remote.clock.time - 100 >= 2, "waited the whole node wait, on the scripted clock")
    }

    @Test func nothingToProbe() {
        let remote = ProbeSystems.remote()
        let report = probe(ProbeOptions(target: .service("no-such-service")), on: remote)
        #expect(report.steps.count == 1 && report.steps[0].verdict == .failed)
        guard case .targetNotFound(let code, _) = report.steps[0].outcome else {
            Issue.record("\(report.steps)")
            return
        }
        #expect(code == .notAnnounced && report.codes == [.notAnnounced])
        #expect(remote.opened.isEmpty)
    }

    @Test func failedDestroyIsAFailedStepButNotTheDiagnosis() {
        let remote = ProbeSystems.remote()
        remote.destroyError = EIO
        let report = probe(options(), on: remote)
        #expect(report.verdicts["destroy endpoint \(endpoint)"] == .failed && !report.passed)
        #expect(report.failedCall == nil && report.findings.isEmpty)
    }
}
