#if canImport(Glibc)
import Glibc
#endif
@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Damaged or hostile trees end in noted problems or missing values, never a crash or a hang.
@Suite struct DiscoveryBrokenInputTests {
    @Test func malformedAddressesFallBackToTheDeviceName() throws {
        let channel = try scan(BrokenRecipes.malformedAttributes).channel("virtio0.rpmsg-raw.-1.30")
        #expect(channel.src == .any)
        #expect(channel.dst == RpmsgAddress(30))
    }

    @Test func missingNameIsNotedAndTakenFromTheDeviceName() throws {
        let snapshot = try scan(BrokenRecipes.malformedAttributes)
        #expect(try snapshot.channel("virtio1.app-channel.-1.40").name == "app-channel")
        let problem = try #require(snapshot.unreadable.first { $0.path.hasSuffix("/virtio1.app-channel.-1.40/name") })
        #expect(problem.error == "does not exist")
    }

    @Test func missingFeaturesLeaveNameServiceUnknown() throws {
        let virtio = try scan(BrokenRecipes.malformedAttributes).virtio("virtio1")
        #expect(virtio.features == nil)
        #expect(virtio.offersNameService == nil)
    }

    @Test func malformedEndpointSourceIsLeftOut() throws {
        let endpoint = try scan(BrokenRecipes.malformedAttributes).endpoint("rpmsg1")
        #expect(endpoint.src == nil)
        #expect(endpoint.dst == RpmsgAddress(40))
    }

    @Test func symlinkLoopIsNotedAndTheRestIsStillRead() throws {
        let snapshot = try scan(BrokenRecipes.classSymlinkLoop)
        let problem = try #require(snapshot.unreadable.first { $0.path == "/sys/class/rpmsg/rpmsg8" })
        #expect(problem.error == "symbolic link loop")
        #expect(snapshot.controlDevices.count == 2)
        #expect(snapshot.endpointDevices.map(\.name) == ["rpmsg0", "rpmsg1"])
    }

    @Test func danglingClassLinkIsNotedAndItsDeviceLeftOut() throws {
        let snapshot = try scan(BrokenRecipes.danglingClassLink)
        #expect(snapshot.endpointDevices.map(\.name) == ["rpmsg0"])
        let problem = try #require(snapshot.unreadable.first { $0.path == "/sys/class/rpmsg/rpmsg1" })
        #expect(problem.error == "does not exist")
    }

    @Test func hostileChannelNamesSurviveAsText() throws {
        let snapshot = try scan(BrokenRecipes.hostileChannelNames)
        let names = Set(snapshot.channels.map(\.name))
        #expect(names.contains("say \"hi\" 'there'"))
        #expect(names.contains("two\nlines"))
        #expect(names.contains("\u{1b}[31mred\u{1b}[0m"))
        #expect(names.contains("bad\\xff\\xfe"))
        #expect(names.contains("abcdefghijklmnopqrstuvwxyz01234"), "the kernel keeps 31 bytes of a 32-byte name")
        #expect(try snapshot.channel("virtio0.bad\\xff\\xfe.-1.64").dst == RpmsgAddress(64))
    }

    @Test func slashInAChannelNameShowsAsBangInItsDeviceName() throws {
        let channel = try scan(BrokenRecipes.hostileChannelNames).channel("virtio0.slash!and space.-1.61")
        #expect(channel.name == "slash/and space")
        #expect(channel.virtio == "virtio0")
    }

    @Test func hostileEndpointNamesSurviveAndMapToTheirControl() throws {
        let snapshot = try scan(BrokenRecipes.hostileChannelNames)
        let hostile = snapshot.endpointDevices.filter { $0.control == "rpmsg_ctrl0" }
        #expect(hostile.count == BrokenRecipes.hostileNames.count)
        #expect(hostile.compactMap(\.endpointName).contains("bad\\xff\\xfe"))
        #expect(hostile.allSatisfy { $0.virtio == "virtio0" })
    }

    @Test func nodeThatIsASymlinkLoopIsUnreadable() throws {
        let snapshot = try scan({ try Recipes.mainline6_0(node: .absent) }) { board in
            try board.tree.linkVerbatim(SysPath("/dev/rpmsg_ctrl0"), target: Array("rpmsg_ctrl0".utf8))
        }
        let node = try snapshot.control("rpmsg_ctrl0").node
        #expect(node.state == .unreadable)
        #expect(node.error == "symbolic link loop")
        #expect(snapshot.unreadable.contains(ReadProblem(path: "/dev/rpmsg_ctrl0", error: "symbolic link loop")))
    }

    @Test func pipesInPlaceOfAttributesAndTheLogDoNotBlock() throws {
        let snapshot = try scan({ try Recipes.mainline6_0() }) { board in
            let channel = try #require(board.device(named: "virtio0.rpmsg-raw.-1.30"))
            board.tree.remove(channel.path + "name")
            try board.tree.makeFIFO(channel.path + "name")
            board.tree.remove(SysPath("/dev/kmsg"))
            try board.tree.makeFIFO(SysPath("/dev/kmsg"))
        }
        #expect(try snapshot.channel("virtio0.rpmsg-raw.-1.30").name == "")
        #expect(snapshot.kernelLog.lines.isEmpty)
        #expect(!snapshot.kernelLog.readable, "below a root only a regular file of records is a kernel log")
    }

    @Test(.enabled(if: FixtureTree.canMakeDeviceNodes))
    func aBlockDeviceInPlaceOfTheLogIsNeverOpened() throws {
        let snapshot = try scan({ try Recipes.mainline6_0() }) { board in
            board.tree.remove(SysPath("/dev/kmsg"))
            // makedev(7, 0): a loop device, as `tar -x` run by root recreates one from someone else's archive.
            #expect(mknod(board.root + "/dev/kmsg", S_IFBLK | 0o600, 7 << 8) == 0)
        }
        #expect(!snapshot.kernelLog.readable && snapshot.kernelLog.lines.isEmpty)
    }

    @Test func emptyRootGivesAnEmptySnapshot() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        let snapshot = try Discovery.snapshot(root: tree.root)
        #expect(snapshot.channels.isEmpty && snapshot.controlDevices.isEmpty && snapshot.virtioDevices.isEmpty)
        #expect(snapshot.system.rpmsgBusPresent == false)
        #expect(!snapshot.kernelLog.readable)
    }

    @Test func missingRootIsAnError() throws {
        let tree = try FixtureTree()
        tree.remove()
        #expect(throws: ReadError.missing) { try Discovery.snapshot(root: tree.root) }
    }
}

@Suite struct DiscoveryUnknownPresenceTests {
    /// As root, permissions cannot be taken away; a symlink loop gives the same "cannot tell" (ELOOP instead of EACCES).
    @Test func aBusThatCannotBeCheckedIsNotTakenForAKernelWithoutRpmsg() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        try tree.makeDirectory(SysPath("/sys/bus"))
        try tree.linkVerbatim(SysPath("/sys/bus/rpmsg"), target: Array("rpmsg".utf8))
        let snapshot = try Discovery.snapshot(root: tree.root)
        #expect(snapshot.system.rpmsgBusPresent == nil)
        #expect(snapshot.unreadable.contains { $0.path == "/sys/bus/rpmsg" && $0.error == "symbolic link loop" })
        let codes = Diagnosis.findings(for: snapshot).map(\.id)
        #expect(!codes.contains(.noRpmsgBus))
        #expect(codes.contains(.partlyUnreadable))
    }
}
