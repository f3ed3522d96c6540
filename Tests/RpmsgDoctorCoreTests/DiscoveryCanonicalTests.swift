@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The i.MX8QM story: imx_rpmsg with two vdevs, the channel on virtio1, the user's endpoint made through rpmsg_ctrl0.
@Suite struct DiscoveryCanonicalTests {
    @Test func eachControlBelongsToTheVirtioItHangsUnder() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        let control0 = try snapshot.control("rpmsg_ctrl0")
        let control1 = try snapshot.control("rpmsg_ctrl1")
        #expect(control0.virtio == "virtio0")
        #expect(control0.hostChannel == "virtio0.rpmsg_chrdev.0.0")
        #expect(control1.virtio == "virtio1")
        #expect(control1.hostChannel == "virtio1.rpmsg_chrdev.0.0")
        #expect(control0.remoteProcessor == nil)
        #expect(snapshot.remoteProcessors.isEmpty)
    }

    @Test func announcedChannelIsOnTheSecondVirtioBoundToTheTTYDriver() throws {
        let channel = try scan { try Recipes.imx8qmCanonical() }.channel("virtio1.rpmsg-openamp-demo-channel.-1.30")
        #expect(channel.name == "rpmsg-openamp-demo-channel")
        #expect(channel.virtio == "virtio1")
        #expect(channel.dst == RpmsgAddress(30))
        #expect(channel.src == RpmsgAddress(1024), "a bound channel's src is its driver's endpoint address")
        #expect(channel.driver == "imx_rpmsg_tty")
        #expect(channel.driverOverride == nil)
        #expect(channel.announce == false)
        #expect(channel.role == .announced)
    }

    @Test func userEndpointHangsUnderTheControlItWasMadeThrough() throws {
        let endpoint = try scan { try Recipes.imx8qmCanonical() }.endpoint("rpmsg0")
        #expect(endpoint.control == "rpmsg_ctrl0")
        #expect(endpoint.virtio == "virtio0")
        #expect(endpoint.hostChannel == nil)
        #expect(endpoint.endpointName == "rpmsg-openamp-demo-channel")
        #expect(endpoint.src == RpmsgAddress(2))
        #expect(endpoint.dst == RpmsgAddress(30))
    }

    @Test func virtioDevicesHangUnderTheImxRpmsgPlatformDevice() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        #expect(snapshot.virtioDevices.map(\.name) == ["virtio0", "virtio1"])
        for virtio in snapshot.virtioDevices {
            #expect(virtio.transportParent == "90000000.rpmsg")
            #expect(virtio.transportDriver == "imx-rpmsg")
            #expect(virtio.transportCompatible == ["fsl,imx8qm-rpmsg"])
            #expect(virtio.remoteProcessor == nil)
            #expect(virtio.driver == "virtio_rpmsg_bus")
            #expect(virtio.deviceID == "0x0007")
            #expect(virtio.offersNameService == true)
        }
    }

    @Test func imxTTYIsVirtualSoItIsPlacedByTheAddressInItsName() throws {
        let tty = try scan { try Recipes.imx8qmCanonical() }.tty("ttyRPMSG30")
        #expect(tty.sysfsPath == "/sys/devices/virtual/tty/ttyRPMSG30")
        #expect(tty.hostChannel == "virtio1.rpmsg-openamp-demo-channel.-1.30")
        #expect(tty.virtio == "virtio1")
        #expect(tty.node.path == "/dev/ttyRPMSG30")
    }

    @Test func driversListWhatTheyBound() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        #expect(try snapshot.driver("imx_rpmsg_tty").boundDevices == ["virtio1.rpmsg-openamp-demo-channel.-1.30"])
        #expect(try snapshot.driver("rpmsg_chrdev").boundDevices == ["virtio0.rpmsg_chrdev.0.0", "virtio1.rpmsg_chrdev.0.0"])
        #expect(try snapshot.driver("rpmsg_ns").boundDevices == ["virtio0.rpmsg_ns.53.53", "virtio1.rpmsg_ns.53.53"])
        #expect(!snapshot.drivers.contains { $0.name == "rpmsg_ctrl" })
    }

    @Test func systemContextOfALinuxImx515Kernel() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        #expect(snapshot.system.kernelRelease == "5.15.77-6.2.0+git.aa0ff7e3554e")
        #expect(snapshot.system.characterMajors.map(\.name) == ["ttyRPMSG30", "rpmsg"])
        #expect(snapshot.system.rpmsgBusPresent == true)
        #expect(snapshot.system.rpmsgClassPresent == true)
        #expect(snapshot.unreadable.isEmpty)
    }

    @Test func kernelLogKeepsTheRpmsgLinesInOrder() throws {
        let log = try scan { try Recipes.imx8qmCanonical() }.kernelLog
        #expect(log.readable)
        #expect(log.lines.first == "[    0.100000] imx rpmsg driver is registered.")
        #expect(log.lines.contains("[    0.200000] virtio_rpmsg_bus virtio0: rpmsg host is online"))
        #expect(log.lines.contains("[    0.400000] virtio_rpmsg_bus virtio1: creating channel rpmsg-openamp-demo-channel addr 0x1e"))
    }

    @Test func deviceTreeNodeSaysTwoVdevs() throws {
        let nodes = try scan { try Recipes.imx8qmCanonical() }.deviceTree
        let node = try #require(nodes.first { $0.path == "/rpmsg@90000000" })
        #expect(node.compatible == ["fsl,imx8qm-rpmsg"])
        #expect(node.status == "okay")
        #expect(node.vdevCount == 2)
        #expect(node.isEnabled)
    }

    @Test(.needsRoot)
    func nodesAreRootOnlyWithoutAUdevRule() throws {
        let snapshot = try scan { try Recipes.imx8qmCanonical() }
        let nodes = snapshot.controlDevices.map(\.node) + snapshot.endpointDevices.map(\.node) + snapshot.ttys.map(\.node)
        #expect(nodes.count == 4)
        for node in nodes {
            #expect(node.state == .present)
            #expect(node.mode == 0o600)
            #expect(node.owner == "root")
            #expect(node.group == "root")
        }
        #expect(try snapshot.endpoint("rpmsg0").node.devNumber == snapshot.endpoint("rpmsg0").devNumber)
    }
}
