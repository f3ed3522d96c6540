extension SystemReader {
    /// Which processes hold each of these device nodes open, from /proc/PID/fd. Other users' processes
    /// cannot be inspected without privileges: that is noted once, not per process.
    func holders(of nodePaths: Set<String>) -> [String: [ProcessReference]] {
        guard !nodePaths.isEmpty else { return [:] }
        var result: [String: [ProcessReference]] = [:]
        var hidden = 0
        for entry in entries(SysPath("/proc")) {
            guard let pid = Int32(DisplayText.decode(entry)) else { continue }
            let fdDir = SysPath("/proc").appending(entry) + "fd"
            let fds: [[UInt8]]
            switch fs.list(fdDir) {
            case .success(let names): fds = names
            case .failure(.denied):
                hidden += 1
                continue
            case .failure:
                continue // the process ended while we looked
            }
            var seen = Set<String>()
            for fd in fds {
                guard case .success(let target) = fs.readLink(fdDir.appending(fd)) else { continue }
                let path = DisplayText.decode(target)
                guard nodePaths.contains(path), seen.insert(path).inserted else { continue }
                let command = fs.attribute(SysPath("/proc").appending(entry) + "comm")
                result[path, default: []].append(ProcessReference(pid: pid, command: (try? command.get()) ?? "?"))
            }
        }
        if hidden > 0 {
            note(ReadProblem(path: "/proc/*/fd", error: "\(hidden) processes could not be inspected (permission denied): holders of rpmsg devices among them are not shown"))
        }
        return result
    }
}
