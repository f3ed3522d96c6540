import RpmsgDoctorCore
#if canImport(Glibc)
import Glibc
#endif

extension FixtureTree {
    /// Makes a directory and any missing parents, like `mkdir -p`.
    public func makeDirectory(_ path: SysPath) throws {
        let host = hostPath(path)
        if host.withCString({ mkdir($0, 0o755) }) == 0 { return }
        switch errno {
        case EEXIST:
            return
        case ENOENT:
            try makeDirectory(path.parent)
            guard host.withCString({ mkdir($0, 0o755) }) == 0 || errno == EEXIST else { throw FixtureError("mkdir", path) }
        default:
            throw FixtureError("mkdir", path)
        }
    }

    /// Writes a file with exactly these bytes, making missing parent directories.
    public func write(_ path: SysPath, bytes: [UInt8]) throws {
        let host = hostPath(path)
        var fd = host.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        if fd < 0 && errno == ENOENT {
            try makeDirectory(path.parent)
            fd = host.withCString { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        }
        guard fd >= 0 else { throw FixtureError("open", path) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw FixtureError("write", path) }
                offset += count
            }
        }
    }

    public func write(_ path: SysPath, _ text: String) throws {
        try write(path, bytes: Array(text.utf8))
    }

    /// A sysfs attribute as the kernel prints most of them: the value and a newline.
    public func writeAttribute(_ path: SysPath, _ value: String) throws {
        try write(path, bytes: Array(value.utf8) + [0x0A])
    }

    public func writeAttribute(_ path: SysPath, bytes value: [UInt8]) throws {
        try write(path, bytes: value + [0x0A])
    }

    /// A named pipe: opening it without O_NONBLOCK would wait for a writer forever.
    public func makeFIFO(_ path: SysPath) throws {
        try makeDirectory(path.parent)
        guard hostPath(path).withCString({ mkfifo($0, 0o644) }) == 0 else { throw FixtureError("mkfifo", path) }
    }

    public func setMode(_ path: SysPath, _ mode: UInt32) throws {
        guard hostPath(path).withCString({ chmod($0, mode_t(mode)) }) == 0 else { throw FixtureError("chmod", path) }
    }

    /// Removes a file, link or whole directory; a path that is not there is fine.
    public func remove(_ path: SysPath) {
        FileRemoval.removeRecursively(hostPath(path))
    }

    public func exists(_ path: SysPath) -> Bool {
        var info = stat()
        return hostPath(path).withCString { lstat($0, &info) } == 0
    }
}
