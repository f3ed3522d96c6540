import CRpmsg
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
/// device, a FIFO or a symbolic link as root would clobber what the path points at. Everything happens relative to
/// a descriptor of the directory, so a directory of a system image is written inside that image.
enum AtomicFile {
    /// Writes `path`, a path of the host (relative ones from the current directory).
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(FileWriteError) {
        let directory = open(Self.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw failure(path, errno) }
        defer { close(directory) }
        try write(text, into: directory, named: lastComponent(of: path), shownAs: path, mode: mode)
    }

    /// Writes `directory/name` of the system below `fs`'s root, making missing directories inside it.
    static func write(_ text: String, into directory: SysPath, named name: String, below fs: RootedFileSystem,
                      shownAs shown: String, mode: mode_t = 0o644) throws(FileWriteError) {
        var parent = SysPath("/")
        for component in directory.components {
            let next = parent.appending(component)
            let fd = fs.open(next, "", open_path_only | O_DIRECTORY)
            if fd >= 0 {
                close(fd)
            } else {
                guard errno == ENOENT else { throw failure(shown, errno) }
                let parentFD = fs.open(parent, "", open_path_only | O_DIRECTORY)
                guard parentFD >= 0 else { throw failure(shown, errno) }
                let made = SysPath(bytes: component).withCString { mkdirat(parentFD, $0, 0o755) }
                let code = errno
                close(parentFD)
                if made != 0, code != EEXIST { throw failure(shown, code) }
            }
            parent = next
        }
        let fd = fs.open(directory, "", O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw failure(shown, errno) }
        defer { close(fd) }
        try write(text, into: fd, named: name, shownAs: shown, mode: mode)
    }

    private static func write(_ text: String, into directory: Int32, named name: String, shownAs shown: String, mode: mode_t) throws(FileWriteError) {
        try refuseNonRegular(name, in: directory, shownAs: shown)
        // A name not ending in .rules or .json: udev and globs skip the file while it is being written.
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<100 where fd < 0 {
            temporary = ".\(name).\(getpid()).\(attempt)"
            fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd < 0, errno != EEXIST { throw failure(shown, errno) }
        }
        guard fd >= 0 else { throw failure(shown, EEXIST) }
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
        if failedWith == nil, renameat(directory, temporary, directory, name) != 0 { failedWith = errno }
        if let failedWith {
            unlinkat(directory, temporary, 0)
            throw failure(shown, failedWith)
        }
    }

    private static func refuseNonRegular(_ name: String, in directory: Int32, shownAs shown: String) throws(FileWriteError) {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw failure(shown, errno)
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
        throw FileWriteError(path: shown, reason: "it is \(kind), and only a regular file is replaced (name a new or regular file, or - for standard output)")
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
