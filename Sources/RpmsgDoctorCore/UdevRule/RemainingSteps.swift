/// What a person still has to do once the rules file is in place: create the group, join it, log in again,
/// and rerun what could not run.
enum RemainingSteps {
    /// - Parameters:
    ///   - user: who should get the group (the user behind sudo); nil when unknown.
    ///   - root: "/" for this system, or the directory holding another one (commands then take `--root`).
    ///   - reloadCommands: what makes udev read the rules again. Needed after groupadd: udev looks the group
    ///     up when it loads the rules and ignores GROUP= for a group it did not find. A reload re-reads
    ///     only rules files that changed (systemd-udevd 252 skips it otherwise), so the file is touched first.
    ///   - pending: udevadm commands that failed or did not run.
    static func list(group: String, user: String?, root: String, reloadCommands: [[String]], pending: [[String]]) -> [String] {
        let names = (try? RootedFileSystem(root: root)).map { AccountNames(reader: SystemReader(fs: $0)) }
        let groupID = names?.groups.first(where: { $0.value == group })?.key
        let rootOption = root == "/" ? [] : ["--root", root]
        var steps: [String] = []
        if groupID == nil {
            steps.append(sudo(["groupadd"] + rootOption + ["--system", group]))
            if !reloadCommands.isEmpty {
                let touch = sudo(["touch", RpmsgUdevRules.installPath])
                steps.append(([touch] + reloadCommands.map(sudo)).joined(separator: " && "))
            }
        } else if !pending.isEmpty {
            steps.append(pending.map(sudo).joined(separator: " && "))
        }
        let members = groupID.flatMap { names?.groupMembers[$0] } ?? []
        switch user {
        case .some(let user) where members.contains(user):
            if steps.isEmpty { steps.append("# nothing: group \(group) exists and \(user) is in it") }
        case .some(let user):
            steps.append(sudo(["usermod"] + rootOption + ["-aG", group, user]))
            steps.append("# then log out and back in as \(user), or run `newgrp \(group)` in a shell: processes keep the groups they started with")
        case .none where root == "/":
            steps.append("# as each user that runs the application, then log out and back in:")
            steps.append("sudo usermod -aG \(ShellCommand.quote(group)) \"$USER\"")
        case .none:
            steps.append("# for each user of that system who runs the application (NAME):")
            steps.append(sudo(["usermod"] + rootOption + ["-aG", group]) + " NAME")
        }
        return steps
    }

    private static func sudo(_ words: [String]) -> String {
        ShellCommand(["sudo"] + words).printed
    }
}
