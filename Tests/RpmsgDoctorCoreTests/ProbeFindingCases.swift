import Testing
@testable import RpmsgDoctorCore

/// One probe code's proof: a scripted remote that raises it, and the nearest one that must not.
struct ProbeFindingCase: CustomTestStringConvertible, Sendable {
    let code: FindingCode
    let raisedBy: @Sendable () -> ProbeReport
    let notRaisedBy: @Sendable () -> ProbeReport

    var testDescription: String { code.rawValue }
}

private func probeService(_ remote: ScriptedRemote, snapshot: Snapshot = ProbeSystems.oneRemote(), expect: ProbeOptions.Expectation = .echo) -> ProbeReport {
    probe(ProbeOptions(target: .service(ProbeSystems.service), count: 5, expectation: expect), on: remote, snapshot: snapshot)
}

private func echoing() -> ProbeReport { probeService(ProbeSystems.remote()) }

/// The codes only the probe can raise (and RD105, which it raises before it opens anything).
let probeFindingCases: [ProbeFindingCase] = [
    ProbeFindingCase(code: .noControlForVirtio,
                     raisedBy: {
                         var snapshot = ProbeSystems.oneRemote()
                         snapshot.controlDevices = []
                         return probeService(ProbeSystems.remote(), snapshot: snapshot)
                     },
                     notRaisedBy: echoing),
    ProbeFindingCase(code: .remoteNotConsuming, raisedBy: { probeService(ProbeSystems.remote { _, _ in .hold }) }, notRaisedBy: echoing),
    ProbeFindingCase(code: .remoteSilent, raisedBy: { probeService(ProbeSystems.remote { _, _ in .consume }) },
                     notRaisedBy: { probeService(ProbeSystems.remote { _, _ in .consume }, expect: .none) }),
    ProbeFindingCase(code: .remoteAnswersOtherData,
                     raisedBy: {
                         probeService(ProbeSystems.remote { _, message in
                             var damaged = message
                             damaged[damaged.count - 1] ^= 0xFF
                             return .echo(damaged)
                         })
                     },
                     notRaisedBy: echoing),
    ProbeFindingCase(code: .remoteGone, raisedBy: { probeService(ProbeSystems.remote { index, message in index < 1 ? .echo(message) : .goAway(.init()) }) },
                     notRaisedBy: echoing),
    ProbeFindingCase(code: .ttyAnswersEndpointDoesNot,
                     raisedBy: { probeWrongControl(ttyAnswers: true) },
                     notRaisedBy: { probeWrongControl(ttyAnswers: false) }),
]

/// The i.MX8QM story with its tty: an endpoint through rpmsg_ctrl0 gets nothing; the channel's tty answers, or not.
private func probeWrongControl(ttyAnswers: Bool) -> ProbeReport {
    let remote = ScriptedRemote(classDevices: ["rpmsg_ctrl0", "rpmsg_ctrl1"]) { _, _ in .consume }
    remote.ttys = ["ttyRPMSG0"]
    remote.ttyScript = { _, message in ttyAnswers ? .echo(message) : .consume }
    return probe(ProbeOptions(target: .control(path: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30)), count: 5, timeoutMilliseconds: 200),
                 on: remote, snapshot: TTYSystems.twoRemotes())
}

@Suite struct ProbeFindingCaseTests {
    @Test(arguments: probeFindingCases)
    func raised(_ testCase: ProbeFindingCase) {
        let findings = testCase.raisedBy().findings.filter { $0.id == testCase.code }
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(testCase.code.entry.severity.allowed.contains(finding.severity), "a severity the catalog does not allow")
        }
    }

    @Test(arguments: probeFindingCases)
    func notRaised(_ testCase: ProbeFindingCase) {
        #expect(!testCase.notRaisedBy().findings.contains { $0.id == testCase.code })
    }

    /// Every code of the catalog is raised by a case: a scan case, a probe case for what only the probe sees, a watch
    /// case for what only shows while something changes.
    @Test func everyCodeIsRaisedByACase() {
        let covered = Set(scanFindingCases.map(\.code) + probeFindingCases.map(\.code) + watchFindingCases.map(\.code))
        let missing = Set(FindingCode.allCases).subtracting(covered)
        #expect(missing.isEmpty, "no case raises \(missing.map(\.rawValue).sorted())")
        let probeOnly = Set(FindingCode.allCases.filter { $0.entry.source == .probe })
        #expect(probeOnly.isSubset(of: Set(probeFindingCases.map(\.code))))
    }

    @Test func anEchoingRemoteIsSilent() {
        #expect(echoing().findings.isEmpty)
    }
}
