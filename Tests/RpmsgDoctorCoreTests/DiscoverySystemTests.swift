@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// What surrounds the devices: /proc, the kernel log, udev, containers.
@Suite struct DiscoverySystemTests {
    @Test func kernelLogKeepsOnlyRpmsgRelatedRecords() throws {
        let log = try scan({ try Recipes.mainline6_0() }) { board in
            try board.log("Booting Linux on physical CPU 0x0000000000 [0x410fd034]")
            try board.log("remoteproc remoteproc0: powering up m4")
            try board.log("virtio_rpmsg_bus virtio0: timeout waiting for a tx buffer", priority: 3)
        }.kernelLog
        #expect(log.lines == [
            "[    0.200000] remoteproc remoteproc0: powering up m4",
            "[    0.300000] virtio_rpmsg_bus virtio0: timeout waiting for a tx buffer",
        ])
    }

    @Test func loadedModulesAreNarrowedToRpmsgVirtioAndRemoteproc() throws {
        let system = try scan({ try Recipes.mainline6_0() }) { board in
            try board.setLoadedModules(["snd_soc_core", "rpmsg_char", "virtio_rpmsg_bus", "imx_rproc"])
        }.system
        #expect(system.loadedModules == ["rpmsg_char", "virtio_rpmsg_bus", "imx_rproc"])
    }

    @Test func udevRulesMentioningRpmsgAreQuotedWithLineNumbers() throws {
        let udev = try scan({ try Recipes.mainline6_0() }) { board in
            try board.markUdevRunning()
            try board.addUdevRulesFile("99-rpmsg.rules", "# rpmsg access\nSUBSYSTEM==\"rpmsg\", GROUP=\"dialout\", MODE=\"0660\"\n")
            try board.addUdevRulesFile("10-other.rules", "SUBSYSTEM==\"tty\", GROUP=\"dialout\"\n")
        }.udev
        #expect(udev.daemonRunning == true)
        #expect(udev.queried == false)
        #expect(udev.rulesFiles == [UdevRulesFile(path: "/etc/udev/rules.d/99-rpmsg.rules",
                                                  lines: ["2: SUBSYSTEM==\"rpmsg\", GROUP=\"dialout\", MODE=\"0660\""])])
    }

    @Test func dockerMarkerIsContainerEvidence() throws {
        let plain = try scan { try Recipes.mainline6_0() }.system.container
        let docker = try scan({ try Recipes.mainline6_0() }) { try $0.markDockerContainer() }.system.container
        #expect(!plain.insideContainer)
        #expect(docker.evidence == ["/.dockerenv exists"])
    }

    @Test func kernelReleaseDecidesTheVersion() throws {
        let system = try scan { try Recipes.mainline5_15() }.system
        #expect(system.kernelRelease == "5.15.148")
        #expect(system.kernelIsAtLeast(5, 13) == true)
        #expect(system.kernelIsAtLeast(5, 18) == false)
    }

    @Test func virtioWithoutNameServiceFeatureHasNoNameServiceDevice() throws {
        let snapshot = try scan({ try Board(kernel: .mainline6_1) }) { board in
            let platform = try board.addPlatformDevice("imx8mp-cm7", driver: "imx-rproc")
            let remote = try board.addRemoteProcessor(under: platform, processorName: "imx-rproc", state: "attached", firmware: "unknown")
            _ = try board.addVirtio(under: remote, features: 0)
        }
        #expect(try snapshot.virtio("virtio0").offersNameService == false)
        #expect(snapshot.channels.isEmpty)
        #expect(snapshot.remoteProcessors.first?.state == "attached")
    }
}
