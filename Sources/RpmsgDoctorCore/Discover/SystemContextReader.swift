extension SystemReader {
    func systemContext() -> SystemContext {
        let config = kernelConfig()
        return SystemContext(
            kernelRelease: attribute(SysPath("/proc/sys/kernel/osrelease")),
            characterMajors: characterMajors(),
            loadedModules: loadedModules(),
            rpmsgBusPresent: presence(SysPath("/sys/bus/rpmsg")),
            rpmsgClassPresent: presence(SysPath("/sys/class/rpmsg")),
            virtioRpmsgDriverRegistered: presence(SysPath("/sys/bus/virtio/drivers/virtio_rpmsg_bus")),
            container: containerHints(),
            kernelConfig: config.options,
            kernelConfigNotRead: config.notRead
        )
    }

    /// The options about rpmsg of /proc/config.gz, or why there are none. Its absence is common
    /// (CONFIG_IKCONFIG_PROC off) and only said in the listing; a failure to read it is noted too.
    private func kernelConfig() -> (options: [String: String]?, notRead: String?) {
        let path = SysPath("/proc/config.gz")
        let compressed: [UInt8]
        switch fs.read(path, limit: 4 << 20) {
        case .success(let bytes): compressed = bytes
        case .failure(.missing):
            return (nil, "/proc/config.gz does not exist (CONFIG_IKCONFIG_PROC is off, or the configs module is not loaded)")
        case .failure(let error):
            note(path, error)
            return (nil, "/proc/config.gz: \(error)")
        }
        let text: [UInt8]
        do {
            text = try Gzip.inflate(compressed, limit: 16 << 20)
        } catch {
            note(ReadProblem(path: path.description, error: error.description))
            return (nil, "/proc/config.gz: \(error)")
        }
        var options: [String: String] = [:]
        for line in text.split(separator: 0x0A) {
            let line = String(decoding: line, as: UTF8.self)
            if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                let name = String(line.dropFirst("# CONFIG_".count).dropLast(" is not set".count))
                if Self.isRpmsgOption(name) { options[name] = "n" }
            } else if line.hasPrefix("CONFIG_"), let equals = line.firstIndex(of: "=") {
                let name = String(line[line.index(line.startIndex, offsetBy: "CONFIG_".count)..<equals])
                if Self.isRpmsgOption(name) { options[name] = String(line[line.index(after: equals)...]) }
            }
        }
        return (options, nil)
    }

    static func isRpmsgOption(_ name: String) -> Bool {
        ["RPMSG", "REMOTEPROC", "VIRTIO", "MAILBOX", "IMX_", "STM32_", "TI_K3", "ZYNQMP_R5"].contains { name.hasPrefix($0) }
            || name.contains("RPMSG") || name.contains("RPROC")
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

