public enum ContainerEngine: String, CaseIterable, Sendable {
    case docker, podman
}

public struct ContainerAdviceError: Error, CustomStringConvertible {
    public let source: String

    public var description: String {
        "/proc/devices (\(source)) lists no rpmsg character device, so there is no major to allow: load rpmsg_char "
            + "(and rpmsg_ctrl on 5.18 and later) and run this again; the majors are dynamic and exist only once the modules are in"
    }
}

/// The flags a container needs to use the rpmsg devices of its host, with the host's real majors.
public enum ContainerAdvice {
    public static func text(engine: ContainerEngine, snapshot: Snapshot, group: String) throws(ContainerAdviceError) -> String {
        let majors = snapshot.system.characterMajors
        guard !majors.isEmpty else { throw ContainerAdviceError(source: TerminalSafe.text(snapshot.source)) }
        // A snapshot is someone else's file: a group id is used only when it is a number.
        let groupID = snapshot.user.groupNames.first { $0.value == group && !$0.key.isEmpty && $0.key.allSatisfy(\.isASCII) && UInt32($0.key) != nil }?.key
        let groupAdd: SafeText = "--group-add " + (groupID.map { "\($0)" } ?? "\"$(getent group \(ShellCommand.quote(group)) | cut -d: -f3)\"")
        let rootfulFlags: [SafeText] = ["-v /dev:/dev"] + majors.map { "--device-cgroup-rule='c \($0.major):* rmw'" } + [groupAdd]
        var lines: [SafeText] = ["# rpmsg majors in /proc/devices (\(snapshot.source)): " + majors.map { "\($0.major) \($0.name)" }.joined(separator: ", ")]
        switch engine {
        case .docker:
            lines += command("docker run", rootfulFlags)
        case .podman:
            lines.append("# Rootful (sudo podman run): the same flags as docker.")
            lines += command("sudo podman run", rootfulFlags)
            lines.append("# Rootless: podman cannot set device cgroup rules; your own host groups decide, and crun keeps them with keep-groups.")
            lines += command("podman run", ["-v /dev:/dev", "--group-add keep-groups"])
        }
        lines += [
            "# Why:",
            "# -v /dev:/dev: /dev/rpmsgN appears when an endpoint is created, usually after the container started. --device",
            "#   passes only nodes that exist at start; the host's /dev, bound in, shows the new ones too.",
            "# --device-cgroup-rule: the container's device cgroup refuses every device it does not list, one rule per rpmsg",
            "#   major. Majors are handed out when the modules load: run this again after a kernel or module change.",
            "# --group-add: a non-root user in the container needs the host's \(group) group by number (group names do not",
            "#   cross into the container); see `rpmsg-doctor udev-rule` for the rule that gives the devices that group.",
        ]
        return lines.document
    }

    private static func command(_ start: SafeText, _ flags: [SafeText]) -> [SafeText] {
        [start + " \\"] + flags.map { "  \($0) \\" } + ["  IMAGE"]
    }
}
