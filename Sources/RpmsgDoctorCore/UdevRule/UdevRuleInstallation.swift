public enum InstallError: Error, Equatable, CustomStringConvertible {
    case blocked([InstallProblem])
    case writeFailed(FileWriteError)

    public var description: String {
        switch self {
        case .blocked(let problems): problems.map(\.description).joined(separator: "\n") + "\nNothing was changed."
        case .writeFailed(let error): "\(error). Nothing was changed."
        }
    }
}

public struct InstallReport: Equatable, Sendable {
    public var text: String
    /// The udevadm command that failed, after the file was written.
    public var failedCommand: String?
}

/// `udev-rule --install`: writes the rules file in one step, makes a running udev apply it, and says what is left.
/// With a root other than "/" it writes into that system and runs nothing: udev reads the file when that system boots.
public struct UdevRuleInstallation {
    public let options: UdevRuleOptions
    public let root: String
    /// Replace a file at the target path that rpmsg-doctor did not write.
    public let force: Bool
    public let context: InstallContext

    public init(options: UdevRuleOptions, root: String = "/", force: Bool = false, context: InstallContext) {
        self.options = options
        self.root = root
        self.force = force
        self.context = context
    }

    /// udevadm's arguments: reload the rules, then replay the add events of the rpmsg devices and the rpmsg ttys.
    static let udevadmArguments = [
        ["control", "--reload"],
        ["trigger", "--action=add", "--subsystem-match=rpmsg"],
        ["trigger", "--action=add", "--subsystem-match=tty", "--sysname-match=ttyRPMSG*"],
    ]

    public var rules: String { RpmsgUdevRules.text(options) }

    public var targetPath: String {
        root == "/" ? RpmsgUdevRules.installPath : (root.hasSuffix("/") ? String(root.dropLast()) : root) + RpmsgUdevRules.installPath
    }

    var udevadmCommands: [[String]] { root == "/" ? Self.udevadmArguments.map { ["udevadm"] + $0 } : [] }

    public var problems: [InstallProblem] {
        var problems: [InstallProblem] = []
        if root == "/" {
            if !context.isRoot { problems.append(.needsRoot(command: options.commandLine + " --install")) }
            if context.udevadm == nil { problems.append(.udevadmMissing) }
        }
        guard let fs = try? RootedFileSystem(root: root), case .success(let top) = fs.status(SysPath("/"), followLinks: true), top.kind == .directory else {
            return problems + [.rootMissing(root)]
        }
        let target = SysPath(RpmsgUdevRules.installPath)
        if !force, case .success = fs.status(target), !Self.isOurs(fs.read(target, limit: RpmsgUdevRules.signature.utf8.count)) {
            problems.append(.foreignFile(targetPath))
        }
        return problems
    }

    private static func isOurs(_ content: Result<[UInt8], ReadError>) -> Bool {
        guard case .success(let bytes) = content else { return false }
        return bytes.starts(with: RpmsgUdevRules.signature.utf8)
    }

    /// What `--install` would do, changing nothing.
    public func dryRun() -> String {
        var lines = ["Dry run: nothing is written and nothing runs."]
        lines.append("Would write \(TerminalSafe.text(targetPath)) (\(rules.utf8.count) bytes, mode 0644) through a temporary file in the same directory.")
        lines += udevadmCommands.map { "Would run: " + ShellCommand($0).printed }
        if root != "/" { lines.append("Would run nothing: udev reads the file when the system below \(TerminalSafe.text(root)) boots.") }
        lines += problems.map { "--install would stop here: \($0)" }
        lines += ["", "Still to do afterwards:"] + remainingSteps(unrun: []).map { "  " + $0 }
        lines += ["", "The file:", rules]
        return lines.joined(separator: "\n")
    }

    public func perform(runner: CommandRunning) throws(InstallError) -> InstallReport {
        let problems = problems
        guard problems.isEmpty else { throw .blocked(problems) }
        do throws(FileWriteError) {
            let fs: RootedFileSystem
            do {
                fs = try RootedFileSystem(root: root)
            } catch {
                throw FileWriteError(path: targetPath, reason: "cannot open \(root): \(error)")
            }
            let target = SysPath(RpmsgUdevRules.installPath)
            try AtomicFile.write(rules, into: target.parent, named: AtomicFile.lastComponent(of: RpmsgUdevRules.installPath), below: fs, shownAs: targetPath)
        } catch {
            throw .writeFailed(error)
        }
        var lines = ["Wrote \(TerminalSafe.text(targetPath))."]
        if root != "/" { lines.append("udev reads it when the system below \(TerminalSafe.text(root)) boots.") }
        let sequence = context.udevadm.map { UdevadmSequence.run(udevadmCommands, udevadm: $0, runner: runner) } ?? UdevadmSequence()
        lines += sequence.lines
        lines += ["", "Still to do:"] + remainingSteps(unrun: sequence.pending).map { "  " + $0 }
        return InstallReport(text: lines.joined(separator: "\n") + "\n", failedCommand: sequence.failedCommand)
    }

    /// The invoking user means nothing to another system below `root`: its users are left to the person.
    private func remainingSteps(unrun: [[String]]) -> [String] {
        let user = root == "/" ? context.user : nil
        return RemainingSteps.list(group: options.group, user: user, root: root, reloadCommands: udevadmCommands, pending: unrun)
    }
}
