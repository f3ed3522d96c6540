import CLibudev

extension SystemReader {
    /// What udev alone knows: rules files are read below the root; the udev database only on the live system.
    func udevState() -> UdevState {
        let running = fs.exists(SysPath("/run/udev/control"))
        let note = fs.isLive ? nil : "udev database not queried: it describes the running system, not \(fs.root)"
        return UdevState(queried: fs.isLive, daemonRunning: running, rulesFiles: rulesFilesMentioningRpmsg(), note: note)
    }

    private func rulesFilesMentioningRpmsg() -> [UdevRulesFile] {
        var files: [UdevRulesFile] = []
        for directory in KernelNames.udevRulesDirectories {
            let dir = SysPath(directory)
            for entry in entries(dir) where DisplayText.decode(entry).hasSuffix(".rules") {
                let path = dir.appending(entry)
                guard case .success(let text) = fs.attribute(path) else { continue }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
                    line.lowercased().contains("rpmsg") && !line.trimmingWhitespace().hasPrefix("#") ? "\(index + 1): \(line)" : nil
                }
                if !lines.isEmpty { files.append(UdevRulesFile(path: path.description, lines: lines)) }
            }
        }
        return files
    }
}

/// The udev database of the running system, through libudev.
final class UdevDatabase {
    private let context: OpaquePointer

    init?() {
        guard let context = udev_new() else { return nil }
        self.context = context
    }

    deinit { udev_unref(context) }

    func device(syspath: String) -> UdevDevice? {
        guard let device = udev_device_new_from_syspath(context, syspath) else { return nil }
        defer { udev_device_unref(device) }
        var properties: [String: String] = [:]
        Self.forEach(udev_device_get_properties_list_entry(device)) { name, value in properties[name] = value }
        var tags: [String] = []
        Self.forEach(udev_device_get_tags_list_entry(device)) { name, _ in tags.append(name) }
        return UdevDevice(initialized: udev_device_get_is_initialized(device) == 1, tags: tags.sorted(), properties: properties)
    }

    private static func forEach(_ first: OpaquePointer?, _ body: (String, String?) -> Void) {
        var entry = first
        while let current = entry {
            if let name = udev_list_entry_get_name(current) {
                body(DisplayText.decode(Array(String(cString: name).utf8)), udev_list_entry_get_value(current).map { String(cString: $0) })
            }
            entry = udev_list_entry_get_next(current)
        }
    }
}
