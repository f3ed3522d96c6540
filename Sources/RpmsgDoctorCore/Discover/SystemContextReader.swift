extension SystemReader {
    func systemContext() -> SystemContext {
        SystemContext(
            kernelRelease: attribute(SysPath("/proc/sys/kernel/osrelease")),
            characterMajors: characterMajors(),
            loadedModules: loadedModules(),
            rpmsgBusPresent: presence(SysPath("/sys/bus/rpmsg")),
            rpmsgClassPresent: presence(SysPath("/sys/class/rpmsg")),
            container: containerHints()
        )
    }

    /// The "Character devices:" section of /proc/devices, rpmsg regions only.
    private func characterMajors() -> [CharacterMajor] {
        guard let text = attribute(SysPath("/proc/devices")) else { return [] }
        var majors: [CharacterMajor] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Block devices") { break }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // Regions: rpmsg (before 5.18), rpmsg_ctrl and rpmsg_char (5.18+), ttyRPMSG (rpmsg_tty, NXP's tty).
            guard fields.count == 2, let major = UInt32(fields[0]), fields[1].lowercased().contains("rpmsg") else { continue }
            majors.append(CharacterMajor(major: major, name: String(fields[1])))
        }
        return majors
    }

    private func loadedModules() -> [String] {
        guard let text = optionalAttribute(SysPath("/proc/modules")) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let name = line.split(separator: " ").first.map(String.init) ?? ""
            return ["rpmsg", "virtio", "rproc", "remoteproc"].contains(where: name.contains) ? name : nil
        }
    }

    private func containerHints() -> ContainerHints {
        var evidence: [String] = []
        for marker in ["/.dockerenv", "/run/.containerenv"] where fs.exists(SysPath(marker)) {
            evidence.append("\(marker) exists")
        }
        if case .success(let cgroup) = fs.attribute(SysPath("/proc/1/cgroup")) {
            for keyword in ["docker", "containerd", "kubepods", "libpod", "lxc"] where cgroup.contains(keyword) {
                evidence.append("/proc/1/cgroup mentions \(keyword)")
                break
            }
        }
        if case .success(let environ) = fs.read(SysPath("/proc/1/environ")),
           let variable = environ.split(separator: 0).first(where: { $0.starts(with: Array("container=".utf8)) }) {
            evidence.append("init's environment has \(DisplayText.decode(variable))")
        }
        return ContainerHints(evidence: evidence)
    }
}
