@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Mainline layouts with remoteproc: 6.1+ (rproc-virtio) and 5.1 to 6.0 (remoteprocM#vdevJbuffer).
@Suite struct DiscoveryMainlineTests {
    @Test(arguments: [false, true])
    func controlsMapToTheirVirtioWhateverTheirNumbers(reversed: Bool) throws {
        let snapshot = try scan { try Recipes.mainline6_1(controlsProbedInReverse: reversed) }
        let onVirtio0 = reversed ? "rpmsg_ctrl1" : "rpmsg_ctrl0"
        let onVirtio1 = reversed ? "rpmsg_ctrl0" : "rpmsg_ctrl1"
        #expect(try snapshot.control(onVirtio0).virtio == "virtio0")
        #expect(try snapshot.control(onVirtio0).hostChannel == "virtio0.rpmsg_ctrl.0.0")
        #expect(try snapshot.control(onVirtio1).virtio == "virtio1")
        #expect(try snapshot.control(onVirtio1).hostChannel == "virtio1.rpmsg_ctrl.0.0")
        let appEndpoint = try snapshot.endpoint("rpmsg1")
        #expect(appEndpoint.control == onVirtio1)
        #expect(appEndpoint.virtio == "virtio1")
    }

    @Test func everythingBelowTheRemoteprocNamesIt() throws {
        let snapshot = try scan { try Recipes.mainline6_1() }
        let remote = try #require(snapshot.remoteProcessors.first)
        #expect(snapshot.remoteProcessors.count == 1)
        #expect(remote.name == "remoteproc0")
        #expect(remote.sysfsPath == "/sys/devices/platform/soc/10000000.m4/remoteproc/remoteproc0")
        #expect(remote.processorName == "m4")
        #expect(remote.state == "running")
        #expect(remote.firmware == "rproc-m4-fw")
        #expect(remote.recovery == "enabled")
        #expect(snapshot.controlDevices.allSatisfy { $0.remoteProcessor == "remoteproc0" })
        #expect(snapshot.channels.allSatisfy { $0.remoteProcessor == "remoteproc0" })
        #expect(snapshot.virtioDevices.allSatisfy { $0.remoteProcessor == "remoteproc0" })
    }

    @Test func virtioTransportIsTheRprocVirtioPlatformDevice() throws {
        let snapshot = try scan { try Recipes.mainline6_1() }
        #expect(try snapshot.virtio("virtio0").transportParent == "rproc-virtio.0.auto")
        #expect(try snapshot.virtio("virtio1").transportParent == "rproc-virtio.1.auto")
        #expect(try snapshot.virtio("virtio1").transportDriver == "rproc-virtio")
    }

    @Test func rawChannelEndpointHangsUnderItsChannel() throws {
        let snapshot = try scan { try Recipes.mainline6_1() }
        let endpoint = try snapshot.endpoint("rpmsg0")
        #expect(endpoint.hostChannel == "virtio0.rpmsg-raw.-1.30")
        #expect(endpoint.control == nil)
        #expect(endpoint.virtio == "virtio0")
        #expect(endpoint.src == RpmsgAddress(1024))
        #expect(endpoint.dst == RpmsgAddress(30))
        #expect(try snapshot.channel("virtio0.rpmsg-raw.-1.30").driver == "rpmsg_chrdev")
    }

    @Test func endpointSourceOfMinusOneIsAny() throws {
        let endpoint = try scan { try Recipes.mainline6_1() }.endpoint("rpmsg1")
        #expect(endpoint.src == .any)
        #expect(endpoint.dst == RpmsgAddress(40))
        #expect(endpoint.endpointName == "app-channel")
    }

    @Test func unboundChannelKeepsTheAnnouncedAny() throws {
        let channel = try scan { try Recipes.mainline6_1() }.channel("virtio1.app-channel.-1.40")
        #expect(channel.src == .any)
        #expect(channel.driver == nil)
        #expect(channel.virtio == "virtio1")
    }

    @Test func mainlineTTYHangsUnderItsChannel() throws {
        let tty = try scan { try Recipes.mainline6_1() }.tty("ttyRPMSG0")
        #expect(tty.hostChannel == "virtio1.rpmsg-tty.-1.31")
        #expect(tty.virtio == "virtio1")
    }

    @Test func nameServiceAndControlHostsHaveTheirRoles() throws {
        let snapshot = try scan { try Recipes.mainline6_1() }
        let nameService = try snapshot.channel("virtio1.rpmsg_ns.53.53")
        #expect(nameService.role == .nameService)
        #expect(nameService.src == .nameService)
        #expect(nameService.dst == .nameService)
        #expect(nameService.driver == "rpmsg_ns")
        let controlHost = try snapshot.channel("virtio0.rpmsg_ctrl.0.0")
        #expect(controlHost.role == .control)
        #expect(controlHost.src == RpmsgAddress(0))
        #expect(controlHost.driver == "rpmsg_ctrl")
    }

    @Test func splitMajorsFrom518() throws {
        let majors = try scan { try Recipes.mainline6_1() }.system.characterMajors
        #expect(majors.map(\.name) == ["ttyRPMSG", "rpmsg_ctrl", "rpmsg_char"], "rpmsg_char registers first and gets the higher major; the tty region counts too")
        #expect(Set(majors.map(\.major)).count == 3)
    }

    @Test func controlDeviceNumbersComeFromTheControlMajor() throws {
        let snapshot = try scan { try Recipes.mainline6_1() }
        let controlMajor = try #require(snapshot.system.characterMajors.first { $0.name == "rpmsg_ctrl" }?.major)
        let endpointMajor = try #require(snapshot.system.characterMajors.first { $0.name == "rpmsg_char" }?.major)
        #expect(try snapshot.control("rpmsg_ctrl1").devNumber == "\(controlMajor):1")
        #expect(try snapshot.endpoint("rpmsg1").devNumber == "\(endpointMajor):1")
    }

    @Test func kernel60VirtioHangsUnderTheVdevBufferDevice() throws {
        let snapshot = try scan { try Recipes.mainline6_0() }
        let virtio = try snapshot.virtio("virtio0")
        #expect(virtio.transportParent == "remoteproc0#vdev0buffer")
        #expect(virtio.transportDriver == nil)
        #expect(virtio.remoteProcessor == "remoteproc0")
        #expect(virtio.sysfsPath == "/sys/devices/platform/soc/10000000.m4/remoteproc/remoteproc0/remoteproc0#vdev0buffer/virtio0")
        let control = try snapshot.control("rpmsg_ctrl0")
        #expect(control.virtio == "virtio0")
        #expect(control.remoteProcessor == "remoteproc0")
        #expect(control.hostChannel == "virtio0.rpmsg_ctrl.0.0")
    }
}
