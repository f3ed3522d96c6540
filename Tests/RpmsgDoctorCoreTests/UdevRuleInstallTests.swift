import Foundation
@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Records the commands it is asked to run and answers from a script, so no test touches the host's udev.
final class RecordingRunner: CommandRunning {
    var calls: [[String]] = []
    var answers: [CommandResult?]

    init(_ answers: [CommandResult?] = []) { self.answers = answers }

    func run(_ executable: String, _ arguments: [String]) -> CommandResult? {
        calls.append([executable] + arguments)
        return answers.isEmpty ? CommandResult(status: 0) : answers.removeFirst()
    }
}

@Suite struct UdevRuleInstallTests {
    static let rootUser = InstallContext(isRoot: true, udevadm: "/bin/udevadm", user: "alice")

    static func installation(into tree: FixtureTree, force: Bool = false, options: UdevRuleOptions? = nil) throws -> UdevRuleInstallation {
        UdevRuleInstallation(options: try options ?? UdevRuleOptions(), root: tree.root, force: force, context: rootUser)
    }

    static func rulesDirectoryEntries(_ tree: FixtureTree) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: tree.root + "/etc/udev/rules.d").sorted()
    }

    @Test func dryRunNamesEveryStepAndWhatWouldStopIt() throws {
        let installation = UdevRuleInstallation(options: try UdevRuleOptions(group: "dialout"),
                                                context: InstallContext(isRoot: false, udevadm: nil, user: "alice"))
        let text = installation.dryRun()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("Would write /etc/udev/rules.d/60-rpmsg.rules (\(installation.rules.utf8.count) bytes, mode 0644) through a temporary file in the same directory."))
        #expect(lines.filter { $0.hasPrefix("Would run: ") } == [
            "Would run: udevadm control --reload",
            "Would run: udevadm trigger --action=add --subsystem-match=rpmsg",
            "Would run: udevadm trigger --action=add --subsystem-match=tty '--sysname-match=ttyRPMSG*'",
        ])
        #expect(lines.contains("--install would stop here: writing /etc/udev/rules.d and reloading udev need root: run `sudo rpmsg-doctor udev-rule --group dialout --install`"))
        #expect(lines.contains { $0.hasPrefix("--install would stop here: udevadm is not installed") })
        #expect(text.hasSuffix("\nThe file:\n" + installation.rules))
    }

    @Test func dryRunBelowARootWritesNothing() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        let text = try Self.installation(into: tree).dryRun()
        #expect(text.contains("Would run nothing: udev reads the file when the system below \(tree.root) boots."))
        #expect(!FileManager.default.fileExists(atPath: tree.root + "/etc/udev"))
    }

    @Test func installBelowARootWritesTheFileWholeAndRunsNothing() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        let installation = try Self.installation(into: tree, options: UdevRuleOptions(symlinks: true))
        let runner = RecordingRunner()
        let report = try installation.perform(runner: runner)
        let path = tree.root + RpmsgUdevRules.installPath
        #expect(try String(contentsOfFile: path, encoding: .utf8) == installation.rules)
        #expect(try Self.rulesDirectoryEntries(tree) == ["60-rpmsg.rules"], "no temporary file is left behind")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(runner.calls.isEmpty, "udevadm belongs to the running system, not to the one below --root")
        #expect(report.failedCommand == nil)
        #expect(report.text.contains("  sudo groupadd --root \(tree.root) --system rpmsg\n"))
        #expect(report.text.contains("  sudo usermod --root \(tree.root) -aG rpmsg NAME\n"), "the invoking user means nothing to that system")
    }

    @Test func aFileSomeoneWroteIsKeptUnlessForced() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        let handWritten = "SUBSYSTEM==\"rpmsg\", MODE=\"0666\"\n"
        try tree.write(SysPath(RpmsgUdevRules.installPath), handWritten)
        let path = tree.root + RpmsgUdevRules.installPath
        #expect(throws: InstallError.blocked([.foreignFile(path)])) { try Self.installation(into: tree).perform(runner: RecordingRunner()) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == handWritten)
        let forced = try Self.installation(into: tree, force: true)
        _ = try forced.perform(runner: RecordingRunner())
        #expect(try String(contentsOfFile: path, encoding: .utf8) == forced.rules)
    }

    @Test func aFileRpmsgDoctorWroteIsReplacedWithoutForce() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        try tree.write(SysPath(RpmsgUdevRules.installPath), RpmsgUdevRules.text(try UdevRuleOptions(group: "dialout")))
        let installation = try Self.installation(into: tree)
        _ = try installation.perform(runner: RecordingRunner())
        #expect(try String(contentsOfFile: tree.root + RpmsgUdevRules.installPath, encoding: .utf8) == installation.rules)
    }

    @Test func installOnThisSystemNeedsRootAndUdevadmBeforeItTouchesAnything() throws {
        let context = InstallContext(isRoot: false, udevadm: nil, user: "alice")
        let runner = RecordingRunner()
        #expect(throws: InstallError.blocked([.needsRoot(command: "rpmsg-doctor udev-rule --install"), .udevadmMissing])) {
            try UdevRuleInstallation(options: try UdevRuleOptions(), context: context).perform(runner: runner)
        }
        #expect(runner.calls.isEmpty)
    }

    @Test func missingRootDirectoryIsRefused() throws {
        let installation = UdevRuleInstallation(options: try UdevRuleOptions(), root: "/nonexistent/rpmsg-doctor-root", context: Self.rootUser)
        #expect(throws: InstallError.blocked([.rootMissing("/nonexistent/rpmsg-doctor-root")])) { try installation.perform(runner: RecordingRunner()) }
    }

    @Test func udevadmRunsReloadThenBothTriggersInOrder() {
        let runner = RecordingRunner()
        let sequence = UdevadmSequence.run(UdevRuleInstallation.udevadmArguments.map { ["udevadm"] + $0 }, udevadm: "/bin/udevadm", runner: runner)
        #expect(runner.calls == [
            ["/bin/udevadm", "control", "--reload"],
            ["/bin/udevadm", "trigger", "--action=add", "--subsystem-match=rpmsg"],
            ["/bin/udevadm", "trigger", "--action=add", "--subsystem-match=tty", "--sysname-match=ttyRPMSG*"],
        ])
        #expect(sequence.failedCommand == nil && sequence.pending.isEmpty)
    }

    @Test func aFailedReloadStopsTheTriggersAndIsOfferedAgain() {
        let runner = RecordingRunner([CommandResult(status: 1, output: "Failed to send reload request: No such file or directory\n")])
        let commands = UdevRuleInstallation.udevadmArguments.map { ["udevadm"] + $0 }
        let sequence = UdevadmSequence.run(commands, udevadm: "/bin/udevadm", runner: runner)
        #expect(runner.calls.count == 1)
        #expect(sequence.failedCommand == "udevadm control --reload")
        #expect(sequence.pending == commands)
        #expect(sequence.lines.first == "Failed: udevadm control --reload (exit status 1): Failed to send reload request: No such file or directory")
    }

    @Test func aHungOrMissingUdevadmIsReportedAsSuch() {
        let hung = UdevadmSequence.run([["udevadm", "control", "--reload"]], udevadm: "/bin/udevadm",
                                       runner: RecordingRunner([CommandResult(status: 15, timedOut: true)]))
        #expect(hung.lines.first == "Failed: udevadm control --reload (killed: no answer within the timeout)")
        let unstartable = UdevadmSequence.run([["udevadm", "control", "--reload"]], udevadm: "/bin/udevadm", runner: RecordingRunner([nil]))
        #expect(unstartable.lines.first == "Failed: udevadm control --reload (could not be started)")
    }

    @Test func remainingStepsFollowTheGroupFile() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        let reload = [["udevadm", "control", "--reload"]]
        try tree.write(SysPath("/etc/group"), "root:x:0:\n")
        #expect(RemainingSteps.list(group: "rpmsg", user: "alice", root: tree.root, reloadCommands: reload, pending: []) == [
            "sudo groupadd --root \(tree.root) --system rpmsg",
            "sudo touch /etc/udev/rules.d/60-rpmsg.rules && sudo udevadm control --reload",
            "sudo usermod --root \(tree.root) -aG rpmsg alice",
            "# then log out and back in as alice, or run `newgrp rpmsg` in a shell: processes keep the groups they started with",
        ])
        try tree.write(SysPath("/etc/group"), "root:x:0:\nrpmsg:x:990:bob\n")
        #expect(RemainingSteps.list(group: "rpmsg", user: "alice", root: tree.root, reloadCommands: reload, pending: []).first
            == "sudo usermod --root \(tree.root) -aG rpmsg alice")
        try tree.write(SysPath("/etc/group"), "root:x:0:\nrpmsg:x:990:bob,alice\n")
        #expect(RemainingSteps.list(group: "rpmsg", user: "alice", root: tree.root, reloadCommands: reload, pending: [])
            == ["# nothing: group rpmsg exists and alice is in it"])
        #expect(RemainingSteps.list(group: "rpmsg", user: "alice", root: tree.root, reloadCommands: reload, pending: reload)
            == ["sudo udevadm control --reload"])
    }

    @Test func userNamesAreQuotedForTheShell() throws {
        let tree = try FixtureTree()
        defer { tree.remove() }
        try tree.write(SysPath("/etc/group"), "rpmsg:x:990:\n")
        let steps = RemainingSteps.list(group: "rpmsg", user: "o'brien; rm -rf ~", root: tree.root, reloadCommands: [], pending: [])
        #expect(steps.first == #"sudo usermod --root \#(tree.root) -aG rpmsg 'o'\''brien; rm -rf ~'"#)
    }
}
