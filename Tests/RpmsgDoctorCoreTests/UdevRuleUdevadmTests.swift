import Foundation
@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// The generated rules, run by the installed udev against a fixture board: `udevadm test` in a private mount
/// namespace whose /sys, /dev, /etc/group and rules directories are the board's and the test's. udev then
/// matches real-looking devices and really sets the group and mode of the board's nodes and makes its links.
/// Needs root (mount namespaces, mknod), unshare and udevadm: scripts/install-deps.sh --tests installs them.
@Suite struct UdevRuleUdevadmTests {
    static let groupID: UInt32 = 990

    /// Mainline 6.1 (remoteproc0: rpmsg_ctrl0, rpmsg_ctrl1, rpmsg0 on channel rpmsg-raw with dst 30, rpmsg1 named
    /// app-channel with dst 40 made through rpmsg_ctrl1, ttyRPMSG0 on channel rpmsg-tty) plus a second core,
    /// remoteproc1, with rpmsg_ctrl2 and rpmsg2 on its own rpmsg-raw channel with dst 50.
    static func twoCoreBoard() throws -> Board {
        let board = try Recipes.mainline6_1()
        do {
            let dsp = try board.addRemoteProcessor(under: try board.addPlatformDevice("soc/20000000.dsp", driver: "stm32-rproc"), processorName: "dsp")
            let virtio = try board.addVirtio(under: dsp)
            _ = try board.addControl(on: virtio, index: 2)
            let raw = try board.addChannel(on: virtio, name: "rpmsg-raw", dst: RpmsgAddress(50), driver: "rpmsg_chrdev", localAddress: RpmsgAddress(1024))
            _ = try board.addEndpoint(under: raw, name: "rpmsg-raw", src: RpmsgAddress(1024), dst: RpmsgAddress(50), index: 2)
            try board.addGroup("rpmsg", gid: groupID)
        } catch {
            board.remove()
            throw error
        }
        return board
    }

    static let allNodes = ["rpmsg_ctrl0", "rpmsg_ctrl1", "rpmsg_ctrl2", "rpmsg0", "rpmsg1", "rpmsg2", "ttyRPMSG0"]

    @Test func defaultRulesGiveEveryRpmsgNodeTheGroup() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions()), devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "udev complained about the rules: \(run.diagnostics)")
        for name in Self.allNodes {
            #expect(try run.access(name) == NodeAccess(gid: Self.groupID, mode: 0o660), "\(name)")
        }
    }

    @Test func otherGroupAndModeAreApplied() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(group: "dialout", mode: "0640")),
                                  devices: ["rpmsg_ctrl0", "rpmsg0", "ttyRPMSG0"])
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        for name in ["rpmsg_ctrl0", "rpmsg0", "ttyRPMSG0"] {
            #expect(try run.access(name) == NodeAccess(gid: 20, mode: 0o640), "\(name)")
        }
    }

    @Test func remoteProcessorScopeLeavesTheOtherCoresNodesAlone() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(remoteProcessor: "remoteproc1")),
                                  devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        for name in Self.allNodes {
            let expected = ["rpmsg_ctrl2", "rpmsg2"].contains(name) ? NodeAccess(gid: Self.groupID, mode: 0o660) : NodeAccess.untouched
            #expect(try run.access(name) == expected, "\(name)")
        }
    }

    @Test func channelScopeReachesOnlyThatChannelsEndpoints() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(channel: "rpmsg-raw")), devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        for name in Self.allNodes {
            let expected = ["rpmsg0", "rpmsg2"].contains(name) ? NodeAccess(gid: Self.groupID, mode: 0o660) : NodeAccess.untouched
            #expect(try run.access(name) == expected, "\(name)")
        }
    }

    @Test func channelScopeReachesATTYBelowItsChannel() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(channel: "rpmsg-tty")), devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        for name in Self.allNodes {
            #expect(try run.access(name) == (name == "ttyRPMSG0" ? NodeAccess(gid: Self.groupID, mode: 0o660) : .untouched), "\(name)")
        }
    }

    @Test func channelAndRemoteProcessorScopesCombine() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let options = try UdevRuleOptions(remoteProcessor: "remoteproc0", channel: "rpmsg-raw")
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(options), devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        for name in Self.allNodes {
            #expect(try run.access(name) == (name == "rpmsg0" ? NodeAccess(gid: Self.groupID, mode: 0o660) : .untouched), "\(name)")
        }
    }

    @Test func symlinksNameEndpointsByNameAndAddress() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(symlinks: true)), devices: Self.allNodes)
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics)")
        #expect(run.link("rpmsg-raw.30") == "rpmsg0")
        #expect(run.link("rpmsg-raw.50") == "rpmsg2")
        #expect(run.link("app-channel.40") == "rpmsg1")
        #expect(run.link("app-channel") == "rpmsg1")
        #expect(["rpmsg0", "rpmsg2"].contains(run.link("rpmsg-raw") ?? ""), "two endpoints share the plain name; udev picks one")
        #expect(run.links.allSatisfy { !$0.hasPrefix("ttyRPMSG") && !$0.hasPrefix("rpmsg_ctrl") })
    }

    /// Names a remote chose: udev writes unsafe characters as _, keeps UTF-8, lets / make directories and
    /// refuses a link with a .. component, while the node still gets its group. The header comment says so.
    @Test func hostileEndpointNamesStayInsideByName() throws {
        let board = try Self.twoCoreBoard()
        defer { board.remove() }
        let raw = try #require(board.device(named: "virtio0.rpmsg-raw.-1.30"))
        let names = ["../escaped", "a b", "x$y%z", "q\"uote", "sub/dir", "ünï"]
        for (offset, name) in names.enumerated() {
            _ = try board.addEndpoint(under: raw, name: name, src: RpmsgAddress(2000 + UInt32(offset)), dst: .any, index: 10 + offset)
        }
        let devices = names.indices.map { "rpmsg\(10 + $0)" }
        let run = try UdevTestRun(board: board, rules: RpmsgUdevRules.text(try UdevRuleOptions(symlinks: true)), devices: devices)
        #expect(run.link("a_b") == "rpmsg11")
        #expect(run.link("x_y_z") == "rpmsg12")
        #expect(run.link("q_uote") == "rpmsg13")
        #expect(run.link("sub/dir") == "rpmsg14")
        #expect(run.link("ünï") == "rpmsg15")
        #expect(!FileManager.default.fileExists(atPath: board.root + "/dev/rpmsg/escaped"))
        #expect(run.links.allSatisfy { !$0.contains("..") }, "\(run.links)")
        for name in devices {
            #expect(try run.access(name) == NodeAccess(gid: Self.groupID, mode: 0o660), "\(name)")
        }
    }

    /// `udevadm verify` (systemd 253+) where the installed udev has it; otherwise udev's own messages while it
    /// loads each variant for `udevadm test`.
    @Test func everyVariantPassesTheInstalledUdevsCheck() throws {
        let udevadm = try #require(ExecutableSearch.find("udevadm"), "udevadm is missing: scripts/install-deps.sh --tests installs udev")
        let variants = try [
            UdevRuleOptions(),
            UdevRuleOptions(group: "dialout", mode: "0640"),
            UdevRuleOptions(mode: "0666", allowWorldAccess: true),
            UdevRuleOptions(symlinks: true, remoteProcessor: "remoteproc0", channel: "rpmsg-raw"),
        ].map(RpmsgUdevRules.text)
        let help = try #require(ProcessRunner().run(udevadm, ["--help"]))
        if help.output.contains("\n  verify ") {
            for (index, rules) in variants.enumerated() {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("60-rpmsg-\(getpid())-\(index).rules").path
                defer { unlink(file) }
                try rules.write(toFile: file, atomically: true, encoding: .utf8)
                let result = try #require(ProcessRunner().run(udevadm, ["verify", "--resolve-names=never", file]))
                #expect(result.succeeded, "\(rules)\n\(result.output)")
            }
        } else {
            let board = try Self.twoCoreBoard()
            defer { board.remove() }
            for rules in variants {
                let run = try UdevTestRun(board: board, rules: rules, devices: ["rpmsg0"])
                #expect(run.diagnostics.isEmpty, "\(rules)\n\(run.diagnostics)")
            }
        }
    }
}

struct NodeAccess: Equatable, CustomStringConvertible {
    var gid: UInt32
    var mode: UInt32

    /// What the board's nodes start as, devtmpfs's root:root 0600.
    static let untouched = NodeAccess(gid: 0, mode: 0o600)

    var description: String { "gid \(gid) mode 0\(String(mode, radix: 8))" }
}

/// One `udevadm test --action=add` per device, with `rules` as the only rules file, inside a private mount namespace.
struct UdevTestRun {
    let board: Board
    /// udev's messages about the rules file other than the assignments it made: parse errors, unknown groups.
    let diagnostics: [String]

    static let script = #"""
        set -e
        root=$1; rules=$2; shift 2
        mount -t tmpfs tmpfs /etc/udev
        mkdir /etc/udev/rules.d
        cp "$rules" /etc/udev/rules.d/60-rpmsg.rules
        for dir in /usr/lib/udev/rules.d /lib/udev/rules.d /usr/local/lib/udev/rules.d; do
            if [ -d "$dir" ]; then mount -t tmpfs tmpfs "$dir"; fi
        done
        mount --bind "$root/etc/group" /etc/group
        mount --bind "$root/etc/passwd" /etc/passwd
        mount --bind "$root/sys" /sys
        mount -t tmpfs tmpfs /run
        # Last: the board may live below /dev (TMPDIR=/dev/shm).
        mount --bind "$root/dev" /dev
        for device in "$@"; do udevadm test --action=add "$device" 2>&1; done
        """#

    init(board: Board, rules: String, devices: [String]) throws {
        try #require(geteuid() == 0, "udev tests need root: they mount in a private namespace and make device nodes")
        let unshare = try #require(ExecutableSearch.find("unshare"), "unshare is missing: install util-linux")
        try #require(ExecutableSearch.find("udevadm") != nil, "udevadm is missing: scripts/install-deps.sh --tests installs udev")
        let rulesFile = board.root + "/test-60-rpmsg.rules"
        try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
        let sysfsPaths = try devices.map { try #require(board.device(named: $0), "no device \($0) on the board").path.description }
        // sd-device refuses a /sys that is not sysfs unless told otherwise, as systemd's own udev tests do.
        let result = try #require(ProcessRunner(timeoutSeconds: 120).run(unshare, [
            "--mount", "--propagation", "private", "/usr/bin/env", "SYSTEMD_DEVICE_VERIFY_SYSFS=0",
            "/bin/sh", "-c", Self.script, "sh", board.root, rulesFile,
        ] + sysfsPaths))
        try #require(result.succeeded, "the udev run failed: \(result.output)")
        self.board = board
        let assignments = [" GROUP ", " MODE ", " LINK ", " Replaced ", "Reading rules file"]
        diagnostics = result.output.split(separator: "\n").map(String.init)
            .filter { $0.contains("60-rpmsg.rules") && !assignments.contains(where: $0.contains) }
    }

    func access(_ node: String) throws -> NodeAccess {
        let status = try RootedFileSystem(root: board.root).status(SysPath("/dev/" + node)).get()
        return NodeAccess(gid: status.gid, mode: status.mode)
    }

    /// The node a /dev/rpmsg/by-name link leads to, or nil when there is no such link.
    func link(_ name: String) -> String? {
        let path = board.root + "/dev/rpmsg/by-name/" + name
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        return (target as NSString).lastPathComponent
    }

    /// Every link below /dev/rpmsg/by-name, relative to it.
    var links: [String] {
        let base = board.root + "/dev/rpmsg/by-name"
        let found = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return found.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: base + "/" + $0)) != nil }.sorted()
    }
}
