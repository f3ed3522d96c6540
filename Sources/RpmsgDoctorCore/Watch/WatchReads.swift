/// What watch reads from the system when an event comes: the attributes of a new device, whether a path is still
/// there, who holds device nodes. Never opens a device: attributes are sysfs files, holders are /proc links.
/// `SystemWatchReads` reads the running system (or a copy below a root); tests give a recorded one.
protocol WatchReads {
    /// A sysfs attribute without its trailing newline, or nil.
    func attribute(_ path: String) -> String?
    func exists(_ path: String) -> Bool
    /// The name of the target of a link such as a device's `driver`, or nil.
    func linkName(_ path: String) -> String?
    /// The processes that have these device nodes open, by node (a node removed meanwhile counts too).
    func holders(of nodes: Set<String>) -> [String: [ProcessReference]]
}

struct SystemWatchReads: WatchReads {
    let fs: RootedFileSystem

    func attribute(_ path: String) -> String? {
        try? fs.attribute(SysPath(path)).get()
    }

    func exists(_ path: String) -> Bool {
        fs.exists(SysPath(path))
    }

    func linkName(_ path: String) -> String? {
        (try? fs.readLink(SysPath(path)).get()).map { DisplayText.decode(SysPath(bytes: $0).lastComponent) }
    }

    /// A process that cannot be inspected (another user's, without privileges) is not seen.
    func holders(of nodes: Set<String>) -> [String: [ProcessReference]] {
        guard !nodes.isEmpty, case .success(let found) = fs.processesHolding(nodes, countingDeleted: true) else { return [:] }
        return found.holders
    }
}
