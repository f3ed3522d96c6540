#if canImport(Glibc)
import Glibc
#endif

extension SystemReader {
    static let debugfsRemoteproc = "/sys/kernel/debug/remoteproc"

    /// The resource table debugfs shows for the remote core `name` (remoteprocN), or why it could not be read.
    /// Not reading it is normal (root only, debugfs often unmounted): it is said in the listing, not noted as a problem.
    func resourceTable(ofRemote name: [UInt8]) -> ResourceTable {
        let path = SysPath(Self.debugfsRemoteproc).appending(name) + "resource_table"
        var table = ResourceTable(path: path.description)
        switch fs.read(path, limit: ResourceTableText.readLimit) {
        case .success(let bytes):
            table.readable = true
            (table.found, table.vdevs) = ResourceTableText.parse(bytes)
        case .failure(.denied):
            table.reason = fs.isLive && geteuid() == 0
                ? "permission denied to root: kernel lockdown or a security module guards debugfs"
                : "permission denied: debugfs is readable by root only"
        case .failure(.missing):
            table.reason = resourceTableMissingReason()
        case .failure(let error):
            table.reason = error.description
        }
        return table
    }

    private func resourceTableMissingReason() -> String {
        if collected != nil { return "not in the collection: the collector copies it only when run as root with debugfs mounted" }
        guard fs.isLive else { return "not in this tree" }
        if case .success = fs.status(SysPath(Self.debugfsRemoteproc)) { return "does not exist" }
        return "debugfs is not mounted at /sys/kernel/debug (mount -t debugfs none /sys/kernel/debug)"
    }
}
