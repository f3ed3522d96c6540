#if canImport(Glibc)
import Glibc
#endif

public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(TerminalSafe.text(path)): \(reason)" }
}

/// Replaces a regular file in one step, so that a reader (udev watching rules.d, a script polling a snapshot) sees
/// the old content or the new, never a part. It never replaces anything but a regular file: writing "through" a
/// device, a FIFO or a symbolic link as root would clobber what the path points at.
enum AtomicFile {
    static func write(_ text: String, to path: String, mode: mode_t = 0o644, creatingDirectory: Bool = false) throws(FileWriteError) {
        try refuseNonRegular(path)
        let directory = Self.directory(of: path)
        if creatingDirectory { try createDirectories(directory, for: path) }
        // A name not ending in .rules or .json: udev and globs skip the file while it is being written.
        var template = Array((directory + "/." + Self.lastComponent(of: path) + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let bytes = Array(text.utf8)
        var written = 0
        var failedWith: Int32?
        while written < bytes.count, failedWith == nil {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno != EINTR { failedWith = errno }
            } else {
                written += count
            }
        }
        if failedWith == nil, fchmod(fd, mode) != 0 || fsync(fd) != 0 { failedWith = errno }
        if close(fd) != 0, failedWith == nil { failedWith = errno }
        if failedWith == nil, rename(temporary, path) != 0 { failedWith = errno }
        if let failedWith {
            unlink(temporary)
            throw failure(path, failedWith)
        }
    }

    private static func refuseNonRegular(_ path: String) throws(FileWriteError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw failure(path, errno)
        }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: kind = "a symbolic link"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFDIR: kind = "a directory"
        default: kind = "not a regular file"
        }
        throw FileWriteError(path: path, reason: "it is \(kind), and only a regular file is replaced (name a new or regular file, or - for standard output)")
    }

    private static func createDirectories(_ directory: String, for path: String) throws(FileWriteError) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw failure(path, errno) }
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func lastComponent(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    private static func failure(_ path: String, _ code: Int32) -> FileWriteError {
        FileWriteError(path: path, reason: String(cString: strerror(code)))
    }
}
