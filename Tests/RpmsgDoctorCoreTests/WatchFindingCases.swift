import Testing
@testable import RpmsgDoctorCore

/// One watch code's proof: recorded changes that raise it, and the nearest ones that must not.
struct WatchFindingCase: CustomTestStringConvertible, Sendable {
    let code: FindingCode
    let raisedBy: @Sendable () throws -> [WatchEvent]
    let notRaisedBy: @Sendable () throws -> [WatchEvent]

    var testDescription: String { code.rawValue }
}

private func endpointOnVirtio1(heldBy holder: ProcessReference? = nil) -> RecordedReads {
    let path = BoardSnapshots.virtioPath(1) + "/virtio1.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl1/rpmsg0"
    let reads = RecordedReads()
    reads.attributes = [path + "/name": "rpmsg-openamp-demo-channel", path + "/src": "1024", path + "/dst": "30"]
    reads.present = ["/sys/bus/virtio/devices/virtio0", "/sys/bus/virtio/devices/virtio1", path]
    if let holder { reads.holders = ["/dev/rpmsg0": [holder]] }
    return reads
}

/// The restart recording without its endpoint: the channel moves while nothing sends to it.
private func movedWithoutEndpoint() throws -> [WatchEvent] {
    let uevents = try Recordings.uevents("channel-moved").filter { !$0.devpath.hasSuffix("/rpmsg0") }
    return Recordings.replay(uevents, into: BusWatch(snapshot: BoardSnapshots.canonical(), reads: endpointOnVirtio1(), now: 0))
}

private func remoteproc(_ state: String) -> [WatchEvent] {
    let path = "/sys/devices/platform/imx8mp-cm7/remoteproc/remoteproc0"
    var snapshot = BoardSnapshots.board(virtios: 0, channels: [])
    snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: path, state: "running")]
    let reads = RecordedReads()
    reads.attributes[path + "/state"] = state
    return BusWatch(snapshot: snapshot, reads: reads, now: 0).tick(at: Recordings.time(1))
}

/// The codes watch raises (its own, and RD507 and RD401 that it raises too).
let watchFindingCases: [WatchFindingCase] = [
    WatchFindingCase(code: .remoteNotRunning, raisedBy: { remoteproc("crashed") }, notRaisedBy: { remoteproc("offline") }),
    WatchFindingCase(code: .backWithoutAnnouncing,
                     raisedBy: { try Recordings.replay("virtio-back-silent", on: BoardSnapshots.canonical(), settle: 10) },
                     notRaisedBy: { try Recordings.replay("virtio-back", on: BoardSnapshots.canonical(), settle: 10) }),
    WatchFindingCase(code: .channelMoved,
                     raisedBy: { try Recordings.replay("channel-moved", on: BoardSnapshots.canonical(), reads: endpointOnVirtio1()) },
                     notRaisedBy: { try Recordings.replay("virtio-back", on: BoardSnapshots.canonical(), settle: 10) }),
    WatchFindingCase(code: .remoteGone,
                     raisedBy: { try Recordings.replay("crash", on: BoardSnapshots.single()) },
                     notRaisedBy: { try Recordings.replay("channel-moved", on: BoardSnapshots.canonical(), reads: endpointOnVirtio1()) }),
    WatchFindingCase(code: .endpointToDepartedAddress,
                     raisedBy: { try Recordings.replay("channel-moved", on: BoardSnapshots.canonical(), reads: endpointOnVirtio1()) },
                     notRaisedBy: movedWithoutEndpoint),
]

@Suite struct WatchFindingCaseTests {
    @Test(arguments: watchFindingCases)
    func raised(_ testCase: WatchFindingCase) throws {
        let findings = try testCase.raisedBy().flatMap(\.findings).filter { $0.id == testCase.code }
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(testCase.code.entry.severity.allowed.contains(finding.severity), "a severity the catalog does not allow")
            #expect(finding.page == "docs/findings/\(testCase.code.rawValue).md")
        }
    }

    @Test(arguments: watchFindingCases)
    func notRaised(_ testCase: WatchFindingCase) throws {
        #expect(!(try testCase.notRaisedBy()).flatMap(\.findings).contains { $0.id == testCase.code })
    }

    /// Every code the catalog says watch raises has its case, and watch raises no other.
    @Test func everyWatchCodeHasItsCase() {
        let watchCodes = Set(FindingCode.allCases.filter { $0.entry.source == .watch || $0.entry.watchToo })
        #expect(Set(watchFindingCases.map(\.code)) == watchCodes)
    }
}
