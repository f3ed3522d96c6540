/// Failure modes 3, 4 and 20: nodes that are missing, stale, held, or closed to the invoking user.
enum NodeRules {
    static let udevRuleCommands = ["rpmsg-doctor udev-rule --install --dry-run", "sudo rpmsg-doctor udev-rule --install"]
    static let containerCommands = ["rpmsg-doctor udev-rule --container docker", "rpmsg-doctor udev-rule --container podman"]

    static func findings(_ snapshot: Snapshot) -> [Finding] {
        var findings: [Finding] = []
        let nodes = snapshot.managedNodes
        if let denied = permissionDenied(nodes.filter { $0.node.state == .present && !$0.node.allowsReadWrite(for: snapshot.user) }, snapshot) {
            findings.append(denied)
        }
        if let missing = nodesMissing(nodes.filter { $0.node.state == .missing }, snapshot) { findings.append(missing) }
        findings += nodes.compactMap(mismatch)
        if snapshot.system.container.insideContainer, !nodes.isEmpty || !snapshot.system.characterMajors.isEmpty {
            findings.append(container(snapshot))
        }
        findings += snapshot.endpointDevices.filter { !$0.holders.isEmpty }.map(busy)
        if let udev = udevNotApplied(snapshot) { findings.append(udev) }
        return findings
    }

    private static func permissionDenied(_ nodes: [ManagedNode], _ snapshot: Snapshot) -> Finding? {
        guard !nodes.isEmpty else { return nil }
        let user = snapshot.user
        let groups = user.groups.map { id in user.groupName(id).map { "\(id)(\($0))" } ?? "\(id)" }
        let who = "uid \(user.uid)" + (user.userName.map { "(\($0))" } ?? "")
        var evidence = ["you are \(who), groups \(groups.isEmpty ? "none" : groups.joined(separator: ","))"]
        evidence += nodes.map { "\($0.node.path): \($0.node.modeString) \($0.node.owner ?? $0.node.uid.map(String.init) ?? "?"):\($0.node.group ?? $0.node.gid.map(String.init) ?? "?")" }
        let rules = snapshot.udev.rulesFiles
        evidence.append(rules.isEmpty
            ? "no udev rules file in \(SystemReader.rulesDirectories.joined(separator: ", ")) mentions rpmsg"
            : "udev rules that mention rpmsg: " + rules.map(\.path).joined(separator: ", "))
        return Finding(
            .permissionDenied, .error,
            "You (\(who)) cannot open \(nodes.count == 1 ? nodes[0].node.path : "\(nodes.count) rpmsg device nodes") for reading and writing: open() will fail with EACCES",
            evidence: evidence,
            fix: "Give the devices a group and mode 0660 with a udev rule, add yourself to that group, and log in again. Running your application as root only hides the problem.",
            commands: udevRuleCommands
        )
    }

    private static func nodesMissing(_ nodes: [ManagedNode], _ snapshot: Snapshot) -> Finding? {
        guard !nodes.isEmpty else { return nil }
        let inContainer = snapshot.system.container.insideContainer
        let evidence = nodes.map { "\($0.classLink) -> \($0.sysfsPath) exists (dev \($0.expectedDevNumber ?? "?")), \($0.node.path) does not" }
            + (inContainer ? snapshot.system.container.evidence : [])
        return Finding(
            .nodeMissing, .error,
            "The kernel has \(nodes.count) rpmsg device\(nodes.count == 1 ? "" : "s") with no node in /dev" + (inContainer ? " (inside a container)" : ""),
            evidence: evidence,
            fix: inContainer
                ? "Nodes created after the container started never appear in a private /dev. Start the container with the host's /dev bound in and a device cgroup rule for the rpmsg majors."
                : "devtmpfs or udev did not create the nodes: check that devtmpfs is mounted on /dev and that no udev rule removes or renames them.",
            commands: inContainer
                ? containerCommands
                : ["findmnt /dev", "udevadm test \(nodes[0].classLink) 2>&1 | tail"]
        )
    }

    private static func mismatch(_ node: ManagedNode) -> Finding? {
        switch node.node.state {
        case .notCharacterDevice:
            return Finding(
                .nodeMismatch, .error, "\(node.node.path) is not a character device",
                evidence: ["\(node.classLink) -> \(node.sysfsPath) (dev \(node.expectedDevNumber ?? "?"))", "\(node.node.path): not a character device"],
                fix: "Something created a regular file or link in its place (often a write to the node before the device existed). Remove it and let devtmpfs or udev recreate it.",
                commands: ["sudo rm \(node.node.path)", "sudo udevadm trigger --action=add \(node.sysfsPath)"]
            )
        case .present where node.expectedDevNumber != nil && node.node.devNumber != node.expectedDevNumber:
            return Finding(
                .nodeMismatch, .error,
                "\(node.node.path) is device \(node.node.devNumber ?? "?"), but the kernel's device is \(node.expectedDevNumber ?? "?")",
                evidence: ["\(node.classLink)/dev: \(node.expectedDevNumber ?? "?")", "\(node.node.path): character device \(node.node.devNumber ?? "?")"],
                fix: "The node is stale (copied into a container or image, or left from an earlier boot: rpmsg majors are dynamic). Bind the host's /dev instead of copying nodes.",
                commands: ["sudo rm \(node.node.path)", "sudo udevadm trigger --action=add \(node.sysfsPath)"]
            )
        default:
            return nil
        }
    }

    private static func container(_ snapshot: Snapshot) -> Finding {
        let majors = snapshot.system.characterMajors.map { "/proc/devices: \($0.major) \($0.name)" }
        return Finding(
            .container, .info,
            "Running inside a container: endpoint nodes created after it started appear only if the host's /dev is bound in",
            evidence: snapshot.system.container.evidence + majors,
            fix: "Run the container with /dev bound from the host and a device cgroup rule for each rpmsg major (majors are dynamic: read them from /proc/devices on the board).",
            commands: containerCommands
        )
    }

    private static func busy(_ endpoint: EndpointDevice) -> Finding {
        let holders = endpoint.holders.map { "pid \($0.pid) (\($0.command))" }
        return Finding(
            .endpointBusy, .info,
            "\(endpoint.node.path) is held open by \(holders.joined(separator: ", ")): a second open() fails with EBUSY",
            evidence: ["\(endpoint.node.path) open in " + holders.joined(separator: ", ")],
            fix: "Only one process may hold an rpmsg endpoint at a time (5.13+). Stop the holder or share its file descriptor.",
            commands: endpoint.holders.map { "ps -o pid,user,args -p \($0.pid)" }
        )
    }

    private static func udevNotApplied(_ snapshot: Snapshot) -> Finding? {
        guard snapshot.udev.queried, !snapshot.udev.rulesFiles.isEmpty else { return nil }
        let devices = snapshot.controlDevices.map { ($0.node.path, $0.udev) } + snapshot.endpointDevices.map { ($0.node.path, $0.udev) }
        let unhandled = devices.filter { $0.1?.initialized != true }.map(\.0)
        guard !unhandled.isEmpty else { return nil }
        let daemonDown = snapshot.udev.daemonRunning == false
        return Finding(
            .udevNotApplied, .warning,
            "udev rules for rpmsg exist, but udev has not handled \(unhandled.joined(separator: ", "))",
            evidence: (daemonDown ? ["/run/udev/control does not exist: systemd-udevd is not running"] : [])
                + unhandled.map { "\($0): not initialized in the udev database" }
                + snapshot.udev.rulesFiles.map(\.path),
            fix: daemonDown ? "Start systemd-udevd (inside a container it usually does not run; apply permissions on the host)." : "Reload the rules and replay the add events.",
            commands: ["sudo udevadm control --reload", "sudo udevadm trigger --action=add --subsystem-match=rpmsg",
                       "sudo udevadm trigger --action=add --subsystem-match=tty --sysname-match='ttyRPMSG*'", "sudo udevadm settle"]
        )
    }
}
