@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Vendor trees: TI 5.10 (ctrl under the announced channel) and NXP imx_rpmsg (no remoteproc).
@Suite struct DiscoveryVendorTests {
    @Test func tiControlsHangUnderTheChrdevChannelOfEachRemote() throws {
        let snapshot = try scan { try Recipes.ti5_10() }
        let control0 = try snapshot.control("rpmsg_ctrl0")
        let control1 = try snapshot.control("rpmsg_ctrl1")
        #expect(control0.hostChannel == "virtio0.rpmsg_chrdev.-1.14")
        #expect(control0.virtio == "virtio0")
        #expect(control0.remoteProcessor == "remoteproc0")
        #expect(control1.hostChannel == "virtio1.rpmsg_chrdev.-1.14")
        #expect(control1.virtio == "virtio1")
        #expect(control1.remoteProcessor == "remoteproc1")
    }

    @Test func tiRemoteprocsLiveOnTheirSocBus() throws {
        let snapshot = try scan { try Recipes.ti5_10() }
        #expect(snapshot.remoteProcessors.map(\.sysfsPath) == [
            "/sys/devices/platform/bus@100000/5000000.m4fss/remoteproc/remoteproc0",
            "/sys/devices/platform/bus@100000/78000000.r5f/remoteproc/remoteproc1",
        ])
        #expect(snapshot.remoteProcessors.map(\.firmware) == ["am64-mcu-m4f0_0-fw", "am64-main-r5f0_0-fw"])
        #expect(try snapshot.virtio("virtio1").transportParent == "remoteproc1#vdev0buffer")
    }

    @Test func channelNamesWithDotsKeepTheirAddresses() throws {
        let channel = try scan { try Recipes.ti5_10() }.channel("virtio0.ti.ipc4.ping-pong.-1.13")
        #expect(channel.name == "ti.ipc4.ping-pong")
        #expect(channel.dst == RpmsgAddress(13))
        #expect(channel.src == .any)
        #expect(channel.driver == nil)
    }

    @Test func tiEndpointWasMadeThroughTheFirstRemotesControl() throws {
        let endpoint = try scan { try Recipes.ti5_10() }.endpoint("rpmsg0")
        #expect(endpoint.control == "rpmsg_ctrl0")
        #expect(endpoint.remoteProcessor == "remoteproc0")
        #expect(endpoint.dst == RpmsgAddress(14))
    }

    @Test func nxp510HasTheChannelAndTTYButNoControl() throws {
        let snapshot = try scan { try Recipes.nxpImxRpmsg(kernel: .nxp5_10) }
        #expect(snapshot.controlDevices.isEmpty)
        #expect(snapshot.channels.map(\.deviceName) == ["virtio1.rpmsg-openamp-demo-channel.-1.30"])
        #expect(snapshot.virtioDevices.count == 2)
        #expect(try snapshot.tty("ttyRPMSG30").devNumber != nil)
        #expect(snapshot.system.characterMajors.map(\.name) == ["ttyRPMSG30", "rpmsg"])
    }

    @Test func tiAnnouncedChrdevChannelIsWhatApplicationsTalkTo() throws {
        let snapshot = try scan { try Recipes.ti5_10() }
        let channel = try snapshot.channel("virtio1.rpmsg_chrdev.-1.14")
        #expect(channel.role == .announced)
        let findings = Diagnosis.findings(for: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(14)))
        #expect(findings.filter { $0.severity != .info }.isEmpty, "a healthy TI board: \(findings.ids())")
        let route = try #require(Diagnosis.findings(for: snapshot, intent: Intent(service: "rpmsg_chrdev")).first(.route))
        #expect(route.summary.contains("/dev/rpmsg_ctrl0"))
    }

    @Test func aRemoteWhoseOnlyChannelIsChrdevHasAnnounced() throws {
        let snapshot = try scan { try Recipes.ti5_10() }
        var crashed = snapshot
        crashed.channels.removeAll { $0.virtio == "virtio0" }
        crashed.controlDevices.removeAll { $0.virtio == "virtio0" }
        crashed.endpointDevices = []
        let findings = Diagnosis.findings(for: crashed, intent: Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(14)))
        #expect(findings.first(.nothingAnnounced) == nil, "virtio1 still has its announced rpmsg_chrdev channel")
        #expect(findings.first(.notAnnounced) == nil)
    }

    @Test func theLocalControlHostIsNotAChannel() {
        let host = Channel(deviceName: "virtio0.rpmsg_ctrl.0.0", name: "rpmsg_ctrl", src: RpmsgAddress(0), dst: RpmsgAddress(0), sysfsPath: "/x")
        let olderHost = Channel(deviceName: "virtio0.rpmsg_chrdev.0.0", name: "rpmsg_chrdev", sysfsPath: "/x")
        let announced = Channel(deviceName: "virtio0.rpmsg_chrdev.-1.14", name: "rpmsg_chrdev", src: .any, dst: RpmsgAddress(14), sysfsPath: "/x")
        #expect(host.role == .control)
        #expect(olderHost.role == .control)
        #expect(announced.role == .announced)
    }
}
