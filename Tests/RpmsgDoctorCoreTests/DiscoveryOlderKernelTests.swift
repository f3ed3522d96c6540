@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Mainline before rpmsg_ctrl.c was split out: 5.13 to 5.17, and before 5.13 (no ctrl per virtio at all).
@Suite struct DiscoveryOlderKernelTests {
    @Test func kernel515ControlHangsUnderTheChrdevDevice() throws {
        let snapshot = try scan { try Recipes.mainline5_15() }
        let control = try snapshot.control("rpmsg_ctrl0")
        #expect(control.hostChannel == "virtio0.rpmsg_chrdev.0.0")
        #expect(control.virtio == "virtio0")
        #expect(control.remoteProcessor == "remoteproc0")
        #expect(try snapshot.endpoint("rpmsg0").control == "rpmsg_ctrl0")
        #expect(try snapshot.endpoint("rpmsg0").src == RpmsgAddress(1025))
    }

    @Test func kernel515HasOneRpmsgMajorSharedByControlsAndEndpoints() throws {
        let snapshot = try scan { try Recipes.mainline5_15() }
        let major = try #require(snapshot.system.characterMajors.first)
        #expect(snapshot.system.characterMajors.count == 1)
        #expect(major.name == "rpmsg")
        #expect(try snapshot.control("rpmsg_ctrl0").devNumber == "\(major.major):0")
        #expect(try snapshot.endpoint("rpmsg0").devNumber == "\(major.major):1")
    }

    @Test func kernel515HasNoRpmsgCtrlDriverAndLeavesRawChannelsUnbound() throws {
        let snapshot = try scan { try Recipes.mainline5_15() }
        #expect(snapshot.drivers.map(\.name) == ["rpmsg_chrdev", "rpmsg_ns"])
        #expect(try snapshot.channel("virtio0.rpmsg-raw.-1.30").driver == nil)
    }

    @Test func kernel510ControlHangsUnderTheChannelBoundByDriverOverride() throws {
        let snapshot = try scan { try Recipes.mainline5_10(bindChannelToChrdev: true) }
        let channel = try snapshot.channel("virtio0.rpmsg-openamp-demo-channel.-1.1024")
        #expect(channel.driverOverride == "rpmsg_chrdev")
        #expect(channel.driver == "rpmsg_chrdev")
        #expect(channel.src == .any, "rpmsg_chrdev had no receive callback before 5.18, so binding made no endpoint")
        let control = try snapshot.control("rpmsg_ctrl0")
        #expect(control.hostChannel == "virtio0.rpmsg-openamp-demo-channel.-1.1024")
        #expect(control.virtio == "virtio0")
    }

    @Test func kernel510WithoutOverrideHasNoControlAndNoNameServiceDevice() throws {
        let snapshot = try scan { try Recipes.mainline5_10(bindChannelToChrdev: false) }
        #expect(snapshot.controlDevices.isEmpty)
        #expect(snapshot.channels.map(\.deviceName) == ["virtio0.rpmsg-openamp-demo-channel.-1.1024"])
        #expect(try snapshot.virtio("virtio0").offersNameService == true)
        #expect(snapshot.system.kernelIsAtLeast(5, 13) == false)
        #expect(snapshot.unreadable.isEmpty)
    }
}
