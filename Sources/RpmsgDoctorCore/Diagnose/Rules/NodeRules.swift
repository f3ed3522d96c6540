// Failure modes 3, 4 and 20: nodes that are missing, stale, held, or closed to the invoking user.

struct PermissionRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.permissionDenied]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        let nodes = snapshot.managedNodes.filter { $0.node.state == .present && !$0.node.allowsReadWrite(for: snapshot.user) }
        guard !nodes.isEmpty else { return [] }
        let user = snapshot.user
        let groups = user.groups.map { id in user.groupName(id).map { "\(id)(\($0))" } ?? "\(id)" }
        let who = "uid \(user.uid)" + (user.userName.map { "(\($0))" } ?? "")
        var evidence = ["you are \(who), groups \(groups.isEmpty ? "none" : groups.joined(separator: ","))"]
        evidence += nodes.map { "\($0.node.path): \($0.node.ownershipText)" }
        let rules = snapshot.udev.rulesFiles
        evidence.append(rules.isEmpty
            ? "no udev rules file in \(KernelNames.udevRulesDirectories.joined(separator: ", ")) mentions rpmsg"
            : "udev rules that mention rpmsg: " + rules.map(\.path).joined(separator: ", "))
        return [Finding(
            .permissionDenied,
            "You (\(who)) cannot open \(nodes.count == 1 ? nodes[0].node.path : "\(nodes.count) rpmsg device nodes") for reading and writing: open() will fail with EACCES",
            evidence: evidence, remedy: .udevRule
        )]
    }
}

struct NodeMissingRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.nodeMissing]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        let nodes = snapshot.managedNodes.filter { $0.node.state == .missing }
        guard let first = nodes.first else { return [] }
        let inContainer = snapshot.system.container.insideContainer
        let evidence = nodes.map { "\($0.classLink) -> \($0.sysfsPath) exists (dev \($0.expectedDevNumber ?? "?")), \($0.node.path) does not" }
            + (inContainer ? snapshot.system.container.evidence : [])
        return [Finding(
            .nodeMissing,
            "The kernel has \(nodes.count) rpmsg device\(nodes.count == 1 ? "" : "s") with no node in /dev" + (inContainer ? " (inside a container)" : ""),
            evidence: evidence, remedy: .createNodes(inContainer: inContainer, classLink: first.classLink)
        )]
    }
}

struct NodeMismatchRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.nodeMismatch]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.snapshot.managedNodes.compactMap(mismatch)
    }

    private func mismatch(_ node: ManagedNode) -> Finding? {
        switch node.node.state {
        case .notCharacterDevice:
            return Finding(
                .nodeMismatch, "\(node.node.path) is not a character device",
                evidence: ["\(node.classLink) -> \(node.sysfsPath) (dev \(node.expectedDevNumber ?? "?"))", "\(node.node.path): not a character device"],
                remedy: .replaceNode(node.node.path, sysfsPath: node.sysfsPath, stale: false)
            )
        case .present where node.expectedDevNumber != nil && node.node.devNumber != node.expectedDevNumber:
            return Finding(
                .nodeMismatch, "\(node.node.path) is device \(node.node.devNumber ?? "?"), but the kernel's device is \(node.expectedDevNumber ?? "?")",
                evidence: ["\(node.classLink)/dev: \(node.expectedDevNumber ?? "?")", "\(node.node.path): character device \(node.node.devNumber ?? "?")"],
                remedy: .replaceNode(node.node.path, sysfsPath: node.sysfsPath, stale: true)
            )
        default:
            return nil
        }
    }
}

struct ContainerRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.container]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        guard snapshot.system.container.insideContainer, !snapshot.managedNodes.isEmpty || !snapshot.system.characterMajors.isEmpty else { return [] }
        return [Finding(
            .container, "Running inside a container: endpoint nodes created after it started appear only if the host's /dev is bound in",
            evidence: snapshot.system.container.evidence + snapshot.system.characterMajors.map { "/proc/devices: \($0.major) \($0.name)" },
            remedy: .containerAccess
        )]
    }
}

struct EndpointBusyRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.endpointBusy]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.snapshot.endpointDevices.filter { !$0.holders.isEmpty }.map { endpoint in
            let holders = endpoint.holders.map { "pid \($0.pid) (\($0.command))" }
            return Finding(
                .endpointBusy, "\(endpoint.node.path) is held open by \(holders.joined(separator: ", ")): a second open() fails with EBUSY",
                evidence: ["\(endpoint.node.path) open in " + holders.joined(separator: ", ")],
                remedy: .stopHolder(endpoint.holders)
            )
        }
    }
}

struct UdevNotAppliedRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.udevNotApplied]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let snapshot = context.snapshot
        guard snapshot.udev.queried, !snapshot.udev.rulesFiles.isEmpty else { return [] }
        let devices = snapshot.controlDevices.map { ($0.node.path, $0.udev) } + snapshot.endpointDevices.map { ($0.node.path, $0.udev) }
        let unhandled = devices.filter { $0.1?.initialized != true }.map(\.0)
        guard !unhandled.isEmpty else { return [] }
        let daemonDown = snapshot.udev.daemonRunning == false
        return [Finding(
            .udevNotApplied, "udev rules for rpmsg exist, but udev has not handled \(unhandled.joined(separator: ", "))",
            evidence: (daemonDown ? ["/run/udev/control does not exist: systemd-udevd is not running"] : [])
                + unhandled.map { "\($0): not initialized in the udev database" }
                + snapshot.udev.rulesFiles.map(\.path),
            remedy: .applyUdevRules(daemonDown: daemonDown)
        )]
    }
}
