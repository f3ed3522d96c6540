extension RootedFileSystem {
    /// Which processes hold each of these paths open, from /proc/PID/fd, and how many processes could not be
    /// inspected (other users', without privileges). `countingDeleted` also counts a node removed while held open
    /// (the kernel shows it as "PATH (deleted)").
    func processesHolding(_ paths: Set<String>, countingDeleted: Bool) -> Result<(holders: [String: [ProcessReference]], hidden: Int), ReadError> {
        let processes: [[UInt8]]
        switch list(SysPath("/proc")) {
        case .success(let names): processes = names
        case .failure(let error): return .failure(error)
        }
        let deleted = " (deleted)"
        var holders: [String: [ProcessReference]] = [:]
        var hidden = 0
        for entry in processes {
            guard let pid = Int32(DisplayText.decode(entry)) else { continue }
            let process = SysPath("/proc").appending(entry)
            let fds: [[UInt8]]
            switch list(process + "fd") {
            case .success(let names): fds = names
            case .failure(.denied):
                hidden += 1
                continue
            case .failure:
                continue // the process ended while we looked
            }
            var seen = Set<String>()
            for fd in fds {
                guard case .success(let target) = readLink((process + "fd").appending(fd)) else { continue }
                var path = DisplayText.decode(target)
                if countingDeleted, path.hasSuffix(deleted) { path.removeLast(deleted.count) }
                guard paths.contains(path), seen.insert(path).inserted else { continue }
                let command = (try? attribute(process + "comm").get()) ?? "?"
                holders[path, default: []].append(ProcessReference(pid: pid, command: command))
            }
        }
        return .success((holders, hidden))
    }
}

extension SystemReader {
    /// Which processes hold each of these device nodes open. Processes that cannot be inspected are noted once.
    func holders(of nodePaths: Set<String>) -> [String: [ProcessReference]] {
        guard !nodePaths.isEmpty else { return [:] }
        switch fs.processesHolding(nodePaths, countingDeleted: false) {
        case .success(let found):
            if found.hidden > 0 {
                note(ReadProblem(path: "/proc/*/fd", error: "\(found.hidden) processes could not be inspected (permission denied): holders of rpmsg devices among them are not shown"))
            }
            return found.holders
        case .failure(.missing):
            return [:]
        case .failure(let error):
            note(SysPath("/proc"), error)
            return [:]
        }
    }
}
