@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The resource tables debugfs shows (root only): parsed as the kernel prints them, bounded when they are not,
/// and judged only for cores that share them now.
@Suite struct ResourceTableTests {
    /// remoteproc_debugfs.c's output for i.MX7D's M4 running the Zephyr openamp_rsc_table sample (zephyr#69433).
    static let kernelText = """
        Entry 0 is of type vdev
          ID 7
          Notify ID 0
          Device features 0x1
          Guest features 0x1
          Config length 0x0
          Status 0x7
          Number of vrings 2
          Reserved (should be zero) [0][0]

          Vring 0
            Device Address 0x8fff0000
            Alignment 16
            Number of buffers 64
            Notify ID 0
            Physical Address 0x0

          Vring 1
            Device Address 0x8fff8000
            Alignment 16
            Number of buffers 64
            Notify ID 1
            Physical Address 0x0

        Entry 1 is of type carveout
          Device Address 0x20000000
          Physical Address 0x0
          Length 0x10000 Bytes
          Flags 0x0
          Reserved (should be zero) [0]
          Name vdev0buffer

        """

    @Test func theKernelsTextIsParsed() {
        let (found, vdevs) = ResourceTableText.parse(Array(Self.kernelText.utf8))
        #expect(found)
        #expect(vdevs == [VdevResource(entry: 0, id: 7, deviceFeatures: 1, guestFeatures: 1, status: 7, vrings: [
            VringResource(deviceAddress: 0x8FFF_0000, alignment: 16, buffers: 64), VringResource(deviceAddress: 0x8FFF_8000, alignment: 16, buffers: 64),
        ])])
        #expect(vdevs[0].driverReady == true && vdevs[0].offersNameService == true && !vdevs[0].failed)
    }

    @Test func noTableIsNotAnEmptyTable() {
        #expect(ResourceTableText.parse(Array("No resource table found\n".utf8)).found == false)
        #expect(ResourceTableText.parse([]) == (true, []))
    }

    @Test func hostileTextIsBoundedAndNeverTrusted() {
        let manyVdevs = String(repeating: "Entry 1 is of type vdev\n  Status 0x7\n" + String(repeating: "  Vring 0\n    Number of buffers 16\n", count: 100), count: 100)
        let (_, vdevs) = ResourceTableText.parse(Array(manyVdevs.utf8))
        #expect(vdevs.count == ResourceTableText.vdevLimit && vdevs.allSatisfy { $0.vrings.count == ResourceTableText.vringLimit })
        let garbage = "Entry 0 is of type vdev\n  Status 0x1ffffffff\n  ID -1\n  Device features zz\n  Guest features\n\u{1B}[2J\n  Vring 0\n    Number of buffers 99999999999\n"
        let parsed = ResourceTableText.parse(Array(garbage.utf8) + [0xFF, 0xFE])
        #expect(parsed.vdevs == [VdevResource(entry: 0, id: 0xFFFF_FFFF, vrings: [VringResource()])])
    }

    @Test func aHealthyTableIsListedAndSilent() throws {
        let snapshot = try scan { try FieldRecipes.stm32mp1WithResourceTable() }
        let table = try #require(snapshot.remoteProcessors.first?.resourceTable)
        #expect(table.readable && table.found == true && table.rpmsgVdevs.first?.status == 0x7)
        #expect(Diagnosis.findings(for: snapshot).filter { $0.severity != .info }.isEmpty)
        let text = TextReport(ScanReport(snapshot: snapshot), style: Style(enabled: false)).render()
        #expect(text.contains("\n  rsc-vdev  entry=1 id=7 features=0x1 ns=yes status=0x7(ACKNOWLEDGE|DRIVER|DRIVER_OK) buffers=16,16\n"))
    }

    @Test func aTableThatCouldNotBeReadIsSaidPlainly() throws {
        let snapshot = try scan { try FieldRecipes.stm32mp1() }
        let table = try #require(snapshot.remoteProcessors.first?.resourceTable)
        #expect(!table.readable && table.reason == "not in this tree")
        #expect(snapshot.unreadable.isEmpty, "root only and often unmounted: a listing line, not a read problem")
    }

    @Test func aRunningCoreWithoutATableIsOneFindingWithTheLogsLines() throws {
        let snapshot = try scan(FieldRecipes.stm32mp1WithoutResourceTable) { board in
            try board.log("stm32-rproc 10000000.m4: no resource table found for this firmware")
        }
        let missing = Diagnosis.findings(for: snapshot).filter { $0.id == .noResourceTable }
        #expect(missing.count == 1)
        #expect(missing.first?.evidence.first == "/sys/kernel/debug/remoteproc/remoteproc0/resource_table: No resource table found")
        #expect(missing.first?.evidence.contains { $0.hasSuffix("no resource table found for this firmware") } == true)
    }

    @Test func anotherCoresLogLineIsNotQuotedForThisOne() throws {
        let snapshot = try scan(FieldRecipes.stm32mp1WithoutResourceTable) { board in
            try board.log("imx-rproc imx8mp-cm7: No resource table in elf")
        }
        let missing = try #require(Diagnosis.findings(for: snapshot).first(.noResourceTable))
        #expect(!missing.evidence.contains { $0.contains("imx8mp-cm7") })
    }

    @Test func withoutTheBootLineTheTableStillTells() throws {
        let snapshot = try scan { try FieldRecipes.stm32mp1WithoutResourceTable() }
        #expect(Diagnosis.findings(for: snapshot).first(.noResourceTable)?.severity == .error)
    }

    @Test func driverOKWithoutChannelsPointsAtTheRemotesOwnCopy() throws {
        let snapshot = try scan { try FieldRecipes.imx93WaitingOnItsOwnTable() }
        let findings = Diagnosis.findings(for: snapshot)
        let nothing = try #require(findings.first(.nothingAnnounced))
        #expect(nothing.evidence.contains { $0.hasPrefix("Linux wrote DRIVER_OK into its copy of the resource table") })
        #expect(findings.first(.virtioNotReady) == nil)
    }

    @Test func vringsVirtioRefusesAreNamed() throws {
        let snapshot = try scan { try FieldRecipes.zynqmpWithBadVrings() }
        let findings = Diagnosis.findings(for: snapshot)
        let notReady = findings.filter { $0.id == .virtioNotReady }
        #expect(notReady.count == 1, "the table and sysfs show one vdev, one finding")
        #expect(notReady.first?.evidence.contains("vring 0: 12 buffers is not a power of two, which virtio refuses") == true)
        #expect(notReady.first?.fix.contains("power-of-two") == true)
        #expect(findings.first(.noControlDevices) == nil && findings.first(.nothingAnnounced) == nil, "nothing rpmsg can exist below an unbound virtio device")
    }

    @Test func withoutTheTableSysfsShowsTheUnboundVirtioDevice() throws {
        let snapshot = try scan(FieldRecipes.zynqmpWithBadVrings) { board in board.tree.remove(SysPath("/sys/kernel/debug")) }
        let notReady = try #require(Diagnosis.findings(for: snapshot).first(.virtioNotReady))
        #expect(notReady.summary.hasPrefix("virtio_rpmsg_bus did not take virtio0"), "the log shows its failed probe")
        #expect(notReady.evidence.first?.hasSuffix("/virtio0: device 0x0007 (rpmsg), no driver bound") == true)
    }

    @Test func theNewerProbeWordingTellsTheDriverGaveUp() {
        var snapshot = SnapshotBuilders.remoteDown()
        var unbound = SnapshotBuilders.virtio(0)
        unbound.driver = nil
        snapshot.virtioDevices = [unbound]
        let line = "[    0.300000] virtio virtio0: probe with driver virtio_rpmsg_bus failed with error -22"
        snapshot.kernelLog.lines = [line]
        let finding = Diagnosis.findings(for: snapshot).first(.virtioNotReady)
        #expect(finding?.summary.hasPrefix("virtio_rpmsg_bus did not take virtio0, the rpmsg device of 90000000.rpmsg") == true)
        #expect(finding?.evidence.filter { $0 == line }.count == 1)
    }

    @Test(arguments: [("detached", UInt32(0)), ("offline", 0), ("running", 0x7), ("attached", 0xF)])
    func onlyCoresThatShareTheTableAreJudged(state: String, status: UInt32) {
        var snapshot = SnapshotBuilders.remoteDown()
        snapshot.remoteProcessors = [SnapshotBuilders.remote(state: state, vdevStatus: status)]
        #expect(Diagnosis.findings(for: snapshot).first(.virtioNotReady) == nil)
    }

    @Test func noDriverAtAllSaysWhichModule() {
        var snapshot = SnapshotBuilders.remoteDown()
        snapshot.remoteProcessors = [SnapshotBuilders.remote(vdevStatus: 0x1)]
        let finding = Diagnosis.findings(for: snapshot).first(.virtioNotReady)
        #expect(finding?.commands == ["sudo modprobe virtio_rpmsg_bus"])
        snapshot.system.kernelConfig = ["RPMSG_VIRTIO": "n"]
        #expect(Diagnosis.findings(for: snapshot).first(.virtioNotReady)?.fix.hasPrefix("This kernel was built without CONFIG_RPMSG_VIRTIO") == true)
    }
}
