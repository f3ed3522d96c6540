@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The vendor boards of the field notes: every healthy one is silent above info, every broken one says why.
@Suite struct DiscoveryFieldTests {
    static func problems(_ snapshot: Snapshot, intent: Intent = Intent()) -> [String] {
        Diagnosis.findings(for: snapshot, intent: intent).filter { $0.severity != .info }.map { "\($0.id.rawValue) \($0.summary)" }
    }

    @Test func tiAM64xWithBothCoresUpIsHealthy() throws {
        let snapshot = try scan { try Recipes.ti5_10() }
        #expect(Self.problems(snapshot).isEmpty)
        #expect(Self.problems(snapshot, intent: Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(14))).isEmpty)
    }

    @Test func tiAM64xWithACrashedR5FSaysSo() throws {
        let snapshot = try scan { try FieldRecipes.tiAM64xCrashedR5F() }
        let findings = Diagnosis.findings(for: snapshot)
        let crashed = try #require(findings.first(.remoteNotRunning))
        #expect(crashed.severity == .error && crashed.summary.hasPrefix("remoteproc1 (78000000.r5f) is crashed"))
        #expect(findings.first(.nothingAnnounced) == nil, "the M4F's rpmsg_chrdev channel is an announced channel")
    }

    @Test func tiAM62xWithTwoCoresIsHealthyAndEachChrdevChannelHasItsOwnCtrl() throws {
        let snapshot = try scan { try FieldRecipes.tiAM62x() }
        #expect(Self.problems(snapshot).isEmpty)
        for (control, virtio) in [("/dev/rpmsg_ctrl0", "virtio0"), ("/dev/rpmsg_ctrl1", "virtio1")] {
            #expect(Self.problems(snapshot, intent: Intent(control: control, dst: RpmsgAddress(14))).isEmpty)
            #expect(try snapshot.control(String(control.dropFirst(5))).virtio == virtio)
        }
        let route = Diagnosis.findings(for: snapshot, intent: Intent(service: "rpmsg_chrdev")).filter { $0.id == .route }
        #expect(route.count == 2)
        #expect(snapshot.remoteProcessors.map(\.platformDevice) == ["5000000.m4fss", "79000000.r5f"])
    }

    @Test(arguments: [KernelStyle.st5_15, .mainline6_1])
    func stm32mp1WithATtyChannelIsHealthy(kernel: KernelStyle) throws {
        let snapshot = try scan { try FieldRecipes.stm32mp1(kernel: kernel) }
        #expect(Self.problems(snapshot).isEmpty)
        #expect(snapshot.ttys.map(\.name) == ["ttyRPMSG0"])
    }

    @Test(arguments: [KernelStyle.st5_15, .mainline6_1])
    func stm32mp1FirmwareWithTheOldTtyNameIsANearMiss(kernel: KernelStyle) throws {
        let snapshot = try scan { try FieldRecipes.stm32mp1(kernel: kernel, channelName: "rpmsg-tty-channel") }
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver))
        #expect(finding.severity == .warning)
        #expect(finding.summary.contains("close to \"rpmsg-tty\", which rpmsg_tty binds"))
    }

    @Test func zynqmpIsHealthy() throws {
        let snapshot = try scan { try FieldRecipes.zynqmp() }
        #expect(Self.problems(snapshot).isEmpty)
        #expect(snapshot.remoteProcessors.first?.platformDevice == "ff9a0000.rf5ss:r5f_0")
        #expect(Self.problems(snapshot, intent: Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(0x400))).isEmpty)
    }

    @Test(arguments: ["imx8mp-cm7", "imx93-cm33"])
    func anAttachedImxCoreIsHealthy(core: String) throws {
        let snapshot = try scan { try FieldRecipes.imxAttached(core: core) }
        #expect(Self.problems(snapshot).isEmpty)
        #expect(snapshot.remoteProcessors.first?.label == "remoteproc0 (\(core))")
    }

    @Test func imx8ulpDspChannelsAreReachedThroughItsOwnVirtioCtrl() throws {
        let snapshot = try scan { try FieldRecipes.imx8ulp() }
        #expect(Self.problems(snapshot).isEmpty)
        let tty = try snapshot.channel("virtio2.rpmsg-tty.-1.1024")
        #expect(tty.virtio == "virtio2")
        let route = try #require(Diagnosis.findings(for: snapshot, intent: Intent(service: "rpmsg-client-sample")).first(.route))
        #expect(route.summary.contains("/dev/rpmsg_ctrl2"))
        let wrong = try #require(Diagnosis.findings(for: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(0x401))).first(.wrongControl))
        #expect(wrong.fix.contains("/dev/rpmsg_ctrl2"))
    }

    @Test func imx8mmWithoutReservedMemoryIsAnErrorNotSilence() throws {
        let snapshot = try scan { try FieldRecipes.imx8mmLegacyProbeFailed() }
        let codes = Diagnosis.findings(for: snapshot).filter { $0.severity == .error }.map(\.id)
        #expect(codes.contains(.sharedMemoryMissing) && codes.contains(.transportProbeFailed))
    }

    @Test func aTransportNodeWhosePlatformDeviceHasNoDriverIsFoundInSysfs() throws {
        let snapshot = try scan { try FieldRecipes.imx8mmLegacyProbeFailed() }
        let node = try #require(snapshot.deviceTree.first { $0.path == "/rpmsg@b8000000" })
        #expect(node.platformDevice == "/sys/devices/platform/b8000000.rpmsg" && node.driver == nil)
        let unbound = Diagnosis.findings(for: snapshot).filter { $0.id == .transportProbeFailed }
        #expect(unbound.count == 1, "the log's probe failure and sysfs are one finding, not two")
        #expect(unbound.first?.summary.hasPrefix("b8000000.rpmsg has no driver") == true)
        #expect(unbound.first?.evidence.contains { $0.hasSuffix("imx-rpmsg: probe of b8000000.rpmsg failed with error -12") } == true)
        #expect(unbound.first?.evidence.contains("/sys/devices/platform/b8000000.rpmsg: no driver bound") == true)
    }

    @Test func aDeferredProbeIsTheEvidenceWhereTheLogIsSilent() throws {
        let snapshot = try scan { try FieldRecipes.imx8mmLegacyWaitingForMailbox() }
        #expect(snapshot.deviceTree.first { $0.path == "/rpmsg@b8000000" }?.deferredProbe == "")
        let unbound = try #require(Diagnosis.findings(for: snapshot).first(.transportProbeFailed))
        #expect(unbound.evidence.contains("/sys/kernel/debug/devices_deferred: b8000000.rpmsg's probe is deferred, no reason given"))
        #expect(unbound.evidence.last?.hasPrefix("the kernel log says nothing about b8000000.rpmsg") == true)
    }

    @Test func aDeferredProbesReasonIsQuoted() throws {
        let snapshot = try scan(FieldRecipes.imx8mmLegacyWaitingForMailbox) { board in
            try board.addDeferredProbes([(device: "30aa0000.mailbox", reason: ""), (device: "b8000000.rpmsg", reason: "imx-rpmsg: failed to get mbox\u{1B}[2J")])
        }
        let unbound = try #require(Diagnosis.findings(for: snapshot).first(.transportProbeFailed))
        #expect(unbound.evidence.contains("/sys/kernel/debug/devices_deferred: b8000000.rpmsg's probe is deferred, \"imx-rpmsg: failed to get mbox\u{1B}[2J\""))
        let text = TextReport(ScanReport(snapshot: snapshot), style: Style(enabled: false)).render()
        #expect(!text.contains("\u{1B}"), "a reason from the board reaches the terminal neutralised")
    }

    @Test func anUnboundTransportIsAnErrorWhenTheKernelLogCannotBeRead() throws {
        var snapshot = try scan { try FieldRecipes.imx8mmLegacyProbeFailed() }
        snapshot.kernelLog = KernelLog(source: "/dev/kmsg", readable: false, reason: "permission denied")
        let unbound = try #require(Diagnosis.findings(for: snapshot).first(.transportProbeFailed))
        #expect(unbound.severity == .error)
        #expect(unbound.evidence.last == "kernel log not read (permission denied): the probe's error is there")
    }

    @Test func aLeftoverTransportNodeIsNoFaultWhileRpmsgRunsThroughRemoteproc() throws {
        let snapshot = try scan({ try Recipes.mainline6_1() }) { board in
            let node = try board.addDeviceTreeNode("rpmsg@b8000000", compatible: ["fsl,imx8mm-rpmsg"], status: "okay", vdevNums: 1)
            _ = try board.addPlatformDevice("b8000000.rpmsg", deviceTreeNode: node)
        }
        #expect(snapshot.deviceTree.first { $0.path == "/rpmsg@b8000000" }?.platformDevice != nil)
        #expect(Diagnosis.findings(for: snapshot).first(.transportProbeFailed) == nil)
    }

    @Test func platformDevicesWhoseOfNodeLeadsElsewhereAreNotTakenForTheTransport() throws {
        let snapshot = try scan({ try FieldRecipes.imx8mmLegacyProbeFailed() }) { board in
            let outside = SysPath("/sys/devices/platform/outside")
            try board.tree.makeDirectory(outside)
            try board.tree.linkVerbatim(outside + "of_node", target: Array("../../../../../../etc/rpmsg@b8000000".utf8))
            try board.tree.linkVerbatim(SysPath("/sys/bus/platform/devices/outside"), target: Array("../../../devices/platform/outside".utf8))
            let looping = SysPath("/sys/devices/platform/looping")
            try board.tree.makeDirectory(looping)
            try board.tree.linkVerbatim(looping + "of_node", target: Array("of_node".utf8))
            try board.tree.linkVerbatim(SysPath("/sys/bus/platform/devices/looping"), target: Array("../../../devices/platform/looping".utf8))
        }
        let node = try #require(snapshot.deviceTree.first { $0.path == "/rpmsg@b8000000" })
        #expect(node.platformDevice == "/sys/devices/platform/b8000000.rpmsg", "only a link into the device tree names a node")
    }

    @Test func anOfNodeThatOnlySpellsTheDeviceTreePathIsNotTaken() throws {
        let snapshot = try scan({ try FieldRecipes.imx8mmLegacyProbeFailed() }) { board in
            board.tree.remove(SysPath("/sys/bus/platform/devices/b8000000.rpmsg"))
            let decoy = SysPath("/sys/devices/platform/decoy")
            try board.tree.makeDirectory(decoy)
            try board.tree.makeDirectory(SysPath("/etc/firmware/devicetree/base/rpmsg@b8000000"))
            try board.tree.linkVerbatim(decoy + "of_node", target: Array("../../../../etc/firmware/devicetree/base/rpmsg@b8000000".utf8))
            try board.tree.linkVerbatim(SysPath("/sys/bus/platform/devices/decoy"), target: Array("../../../devices/platform/decoy".utf8))
        }
        #expect(snapshot.deviceTree.first { $0.path == "/rpmsg@b8000000" }?.platformDevice == nil)
        #expect(Diagnosis.findings(for: snapshot).allSatisfy { !$0.summary.contains("decoy") })
    }

    @Test func aBoundTransportIsNoFault() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        let node = try #require(snapshot.deviceTree.first { $0.path == "/rpmsg@90000000" })
        #expect(node.platformDevice == "/sys/devices/platform/90000000.rpmsg" && node.driver == "imx-rpmsg")
        #expect(Diagnosis.findings(for: snapshot).first(.transportProbeFailed) == nil)
    }
}
