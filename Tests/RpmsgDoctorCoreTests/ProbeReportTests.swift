import Foundation
import Testing
@testable import RpmsgDoctorCore

/// The probe's report as values: the diagnosis reads outcomes, the words and the JSON are rendered from them.
@Suite struct ProbeReportTests {
    private let options = ProbeOptions(target: .service(ProbeSystems.service), timeoutMilliseconds: 1000)

    private func report(_ steps: [ProbeReport.Step], counts: ProbeReport.Counts = .init(), interrupted: ProbeSignal? = nil) -> ProbeReport {
        var report = ProbeReport(target: "service \"\(ProbeSystems.service)\"", expectation: .echo)
        report.steps = steps
        report.counts = counts
        report.interrupted = interrupted
        return report
    }

    private func diagnose(_ report: ProbeReport, channelVanished: Bool = false) throws -> [FindingCode] {
        let snapshot = ProbeSystems.oneRemote()
        let target = try ProbeTarget.resolve(options, in: snapshot)
        return ProbeDiagnosis(report: report, target: target, scan: [], snapshot: snapshot, options: options, channelVanished: channelVanished)
            .findings().map(\.id)
    }

    private func counts(sent: Int, answered: Int = 0, intact: Int = 0, lost: Int = 0) -> ProbeReport.Counts {
        var counts = ProbeReport.Counts()
        (counts.sent, counts.answered, counts.intact, counts.lost) = (sent, answered, intact, lost)
        return counts
    }

    // MARK: Diagnosis

    @Test func fullRingIsRD502WhicheverStepFoundIt() throws {
        let lost = counts(sent: 5, lost: 5)
        #expect(try diagnose(report([.init(.consumptionCheck, .txRingFull(after: 251, timeoutMilliseconds: 1000))], counts: lost)) == [.remoteNotConsuming])
        #expect(try diagnose(report([.init(.writeMessage(3), .txRingFull(after: 3, timeoutMilliseconds: 1000))], counts: counts(sent: 3))) == [.remoteNotConsuming])
        #expect(try diagnose(report([.init(.consumptionCheck, .consumed(300))], counts: lost)) == [.remoteSilent])
    }

    @Test func failedCallsAreReadFromTheOutcomes() throws {
        let gone = ProbeReport.Step(.readAnswer(2), .systemCall(SystemCallError("read", "/dev/rpmsg1", EPIPE)))
        #expect(report([gone]).failedCall?.code == EPIPE)
        #expect(try diagnose(report([gone], counts: counts(sent: 3, answered: 2, intact: 2, lost: 1))) == [.remoteGone])
        // A failed destroy comes after the exchange and explains nothing about the remote.
        let destroy = ProbeReport.Step(.destroyEndpoint("/dev/rpmsg1"), .systemCall(SystemCallError("RPMSG_DESTROY_EPT_IOCTL", "/dev/rpmsg1", EIO)))
        #expect(report([destroy]).failedCall == nil)
        #expect(try diagnose(report([destroy])) == [])
    }

    @Test func lostAnswersWithTheChannelGoneAreRD507() throws {
        let lost = counts(sent: 5, answered: 1, intact: 1, lost: 4)
        #expect(try diagnose(report([], counts: lost), channelVanished: true) == [.remoteGone])
        #expect(try diagnose(report([], counts: lost), channelVanished: false) == [.remoteSilent])
    }

    @Test(arguments: [(EACCES, FindingCode.permissionDenied), (EBUSY, .endpointBusy), (ENOENT, .nodeMissing), (EINVAL, .addressTaken),
                      (EMSGSIZE, .messageTooBig), (ENODEV, .remoteGone), (ENXIO, .remoteGone)])
    func systemCallErrorsHaveTheirCodes(error: Int32, code: FindingCode) throws {
        let call = error == EMSGSIZE || error == ENODEV ? "write" : "open"
        let step = ProbeReport.Step(.open("/dev/rpmsg1"), .systemCall(SystemCallError(call, "/dev/rpmsg1", error)))
        #expect(try diagnose(report([step])) == [code])
    }

    // MARK: Words

    @Test func verdictsFollowTheOutcomes() {
        #expect(ProbeReport.Outcome.accepted(5, of: 5).verdict == .ok)
        #expect(ProbeReport.Outcome.accepted(4, of: 5).verdict == .failed)
        #expect(ProbeReport.Outcome.answered(5, of: 5, timeoutMilliseconds: 1000, late: 2).verdict == .ok)
        #expect(ProbeReport.Outcome.answered(4, of: 5, timeoutMilliseconds: 1000, late: 0).verdict == .failed)
        #expect(ProbeReport.Outcome.sorted(.init(intact: 5, truncated: 0, corrupted: 0, otherData: 0, duplicated: 1)).verdict == .failed)
        #expect(ProbeReport.Outcome.notNeeded(explainedBy: .wrongControl).verdict == .skipped)
        #expect(ProbeReport.Outcome.leftBehind.verdict == .warning)
        #expect(ProbeReport.Outcome.removedByKernel.verdict == .ok)
    }

    @Test func textIsRenderedFromTheValues() {
        var report = report([
            .init(.findTarget, .targetFound("channel \"x\" (dst 0x1e) on virtio0")),
            .init(.endpointNode("/dev/rpmsg1"), .nodeAppeared(milliseconds: 3, udevDone: false)),
            .init(.receiveAnswers, .answered(0, of: 5, timeoutMilliseconds: 300, late: 0)),
            .init(.consumptionCheck, .txRingFull(after: 1, timeoutMilliseconds: 300)),
            .init(.destroyEndpoint("/dev/rpmsg1"), .done),
        ], interrupted: .terminate)
        report.src = RpmsgAddress(1024)
        #expect(ProbeText(report, style: Style(enabled: false)).render() == """
            probe service "rpmsg-openamp-demo-channel"  src 0x400
              OK   find target: channel "x" (dst 0x1e) on virtio0
              OK   endpoint node /dev/rpmsg1: appeared after 3 ms, udev not done yet
              FAIL answers received: 0 of 5 answered within 300 ms
              FAIL consumption check: the TX ring filled after 1 message and stayed full for 300 ms: the remote does not consume
              OK   destroy endpoint /dev/rpmsg1
              interrupted by SIGTERM: endpoint cleaned up
            total: 5, succeeded: 3, failed: 2, warnings: 0

            """)
    }

    // MARK: JSON

    private func json(_ report: ProbeReport) throws -> [String: Any] {
        let text = try JSONDocument.encode(report)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonKeepsItsStrings() throws {
        let document = try json(report([
            .init(.open("/dev/rpmsg_ctrl0"), .systemCall(SystemCallError("open", "/dev/rpmsg_ctrl0", EACCES))),
            .init(.consumptionCheck, .txRingFull(after: 251, timeoutMilliseconds: 1000)),
            .init(.destroyEndpoint("/dev/rpmsg1"), .done),
        ], interrupted: .interrupt))
        #expect(document["interrupted"] as? String == "SIGINT")
        #expect(document["expectation"] as? String == "echo")
        let steps = try #require(document["steps"] as? [[String: String]])
        #expect(steps == [
            ["name": "open /dev/rpmsg_ctrl0", "verdict": "failed", "detail": "EACCES: Permission denied"],
            ["name": "consumption check", "verdict": "failed",
             "detail": "the TX ring filled after 251 messages and stayed full for 1000 ms: the remote does not consume"],
            ["name": "destroy endpoint /dev/rpmsg1", "verdict": "ok", "detail": ""],
        ])
    }

    @Test func uninterruptedReportHasNoInterruptedKey() throws {
        #expect(try json(report([])).keys.contains("interrupted") == false)
    }
}
