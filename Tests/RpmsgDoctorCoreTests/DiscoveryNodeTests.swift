@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// What stands at /dev/NAME for each class device, read with stat() below the root.
@Suite struct DiscoveryNodeTests {
    @Test(.needsRoot)
    func udevGroupRuleShowsAsGroupAndMode() throws {
        let control = try scan { try Recipes.imx8qmCanonical(node: .group(20)) }.control("rpmsg_ctrl1")
        #expect(control.node.state == .present)
        #expect(control.node.gid == 20)
        #expect(control.node.group == "dialout")
        #expect(control.node.mode == 0o660)
        #expect(control.node.devNumber == control.devNumber)
    }

    @Test(.needsRoot)
    func ownerNamesComeFromTheRootsOwnPasswd() throws {
        let spec = NodeSpec(mode: 0o640, uid: 1000, gid: 1000)
        let endpoint = try scan { try Recipes.imx8qmCanonical(node: spec) }.endpoint("rpmsg0")
        #expect(endpoint.node.uid == 1000)
        #expect(endpoint.node.owner == "torizon")
        #expect(endpoint.node.group == "torizon")
        #expect(endpoint.node.modeString == "crw-r-----")
    }

    @Test(.needsRoot)
    func staleNodeKeepsItsOldNumber() throws {
        let stale = NodeSpec(staleNumber: DeviceNumber(major: 511, minor: 7))
        let control = try scan { try Recipes.mainline6_0(node: stale) }.control("rpmsg_ctrl0")
        #expect(control.node.devNumber == "511:7")
        #expect(control.devNumber != "511:7")
    }

    @Test func regularFileInsteadOfANodeIsNoCharacterDevice() throws {
        let control = try scan { try Recipes.mainline6_0(node: .regularFile) }.control("rpmsg_ctrl0")
        #expect(control.node.state == .notCharacterDevice)
        #expect(control.node.devNumber == nil)
        #expect(control.node.path == "/dev/rpmsg_ctrl0")
    }

    @Test func absentNodeIsMissingWhileSysfsHasTheDevice() throws {
        let snapshot = try scan { try Recipes.mainline6_0(node: .absent) }
        let control = try snapshot.control("rpmsg_ctrl0")
        #expect(control.node.state == .missing)
        #expect(control.devNumber != nil)
        #expect(snapshot.unreadable.isEmpty)
    }

    @Test func nodeNameComesFromDevnameInTheUevent() throws {
        let snapshot = try scan({ try Recipes.mainline6_0(node: .regularFile) }) { board in
            let control = try #require(board.device(named: "rpmsg_ctrl0"))
            try board.tree.write(control.path + "uevent", "MAJOR=245\nMINOR=0\nDEVNAME=rpmsg/ctrl0\n")
        }
        #expect(try snapshot.control("rpmsg_ctrl0").node.path == "/dev/rpmsg/ctrl0")
    }
}
