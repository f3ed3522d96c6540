@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The fixture builder writes what the kernel writes, byte for byte: the discovery tests stand on it.
@Suite struct FixtureSupportFormatTests {
    @Test func relativeLinksClimbToTheCommonAncestor() {
        let device = SysPath("/sys/devices/platform/90000000.rpmsg/virtio1/virtio1.rpmsg_ns.53.53")
        #expect(DisplayText.decode(FixtureTree.relativeTarget(from: SysPath("/sys/bus/rpmsg/devices/virtio1.rpmsg_ns.53.53"), to: device))
                == "../../../devices/platform/90000000.rpmsg/virtio1/virtio1.rpmsg_ns.53.53")
        #expect(DisplayText.decode(FixtureTree.relativeTarget(from: device + "driver", to: SysPath("/sys/bus/rpmsg/drivers/rpmsg_ns")))
                == "../../../../../bus/rpmsg/drivers/rpmsg_ns")
    }

    @Test func busAttributesAreHexAndClassAttributesDecimal() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        let channel = try #require(board.device(named: "virtio1.rpmsg-openamp-demo-channel.-1.30")).path.description
        let endpoint = try #require(board.device(named: "rpmsg0")).path.description
        #expect(try contents(channel + "/src", in: board) == "0x400\n")
        #expect(try contents(channel + "/dst", in: board) == "0x1e\n")
        #expect(try contents(channel + "/driver_override", in: board) == "(null)\n")
        #expect(try contents(channel + "/modalias", in: board) == "rpmsg:rpmsg-openamp-demo-channel\n")
        #expect(try contents(channel + "/announce", in: board) == "false\n")
        #expect(try contents(endpoint + "/src", in: board) == "2\n")
        #expect(try contents(endpoint + "/dst", in: board) == "30\n")
    }

    @Test func classDevicesCarryDevAndUevent() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        let major = try #require(board.major(ofRegion: "rpmsg"))
        let control = try #require(board.device(named: "rpmsg_ctrl1")).path.description
        #expect(try contents(control + "/dev", in: board) == "\(major):1\n")
        #expect(try contents(control + "/uevent", in: board) == "MAJOR=\(major)\nMINOR=1\nDEVNAME=rpmsg_ctrl1\n")
        #expect(try contents("/proc/devices", in: board).contains("\n\(major) rpmsg\n"))
        #expect(try contents("/proc/devices", in: board).hasPrefix("Character devices:\n  1 mem\n"))
    }

    @Test func virtioFeaturesAreABitStringStartingAtBitZero() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        let features = try contents("/sys/bus/virtio/devices/virtio0/features", in: board)
        #expect(features == "1" + String(repeating: "0", count: 63) + "\n")
        #expect(try contents("/sys/bus/virtio/devices/virtio0/device", in: board) == "0x0007\n")
    }

    @Test func classLinksAreRelativeIntoDevices() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        let target = try RootedFileSystem(root: board.root).readLink(SysPath("/sys/class/rpmsg/rpmsg_ctrl0")).get()
        #expect(DisplayText.decode(target) == "../../devices/platform/90000000.rpmsg/virtio0/virtio0.rpmsg_chrdev.0.0/rpmsg/rpmsg_ctrl0")
    }

    @Test func kernelLogRecordsUseTheKmsgFormat() throws {
        let board = try Recipes.imx8qmCanonical()
        defer { board.remove() }
        #expect(try contents("/dev/kmsg", in: board).hasPrefix("6,0,100000,-;imx rpmsg driver is registered.\n6,1,200000,-;"))
    }

    @Test func removeDeletesTheWholeTreeWithLoopsAndRawNames() throws {
        let board = try BrokenRecipes.hostileChannelNames()
        try board.tree.linkVerbatim(SysPath("/sys/class/rpmsg/loop"), target: Array("loop".utf8))
        board.remove()
        #expect(throws: ReadError.missing) { try RootedFileSystem(root: board.root) }
    }

    @Test func addControlRefusesKernelsWithoutAControlPerVirtio() throws {
        let board = try Board(kernel: .mainline5_10)
        defer { board.remove() }
        let platform = try board.addPlatformDevice("soc/10000000.m4")
        let virtio = try board.addVirtio(under: try board.addRemoteProcessor(under: platform, processorName: "m4"))
        #expect(throws: FixtureError.self) { try board.addControl(on: virtio) }
    }
}
