import CRpmsg
#if canImport(Glibc)
import Glibc
#endif

public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing
    case denied
    case loop
    case unconfinable
    case failed(errno: Int32)

    init(errno code: Int32) {
        switch code {
        case ENOENT, ENOTDIR, ENODEV, ENXIO: self = .missing
        case EACCES, EPERM: self = .denied
        case ELOOP: self = .loop
        default: self = .failed(errno: code)
        }
    }

    public var description: String {
        switch self {
        case .missing: "does not exist"
        case .denied: "permission denied"
        case .loop: "symbolic link loop"
        case .unconfinable: "reading a tree below a root needs openat2 (Linux 5.6 or later), which confines every path to it"
        case .failed(let code): String(cString: strerror(code))
        }
    }
}

public struct FileStatus: Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case characterDevice, blockDevice, directory, regular, symlink, other }
    public var kind: Kind
    public var major: UInt32
    public var minor: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var mode: UInt32
}

/// The directory a tree is read below, held open: the kernel resolves every path inside it.
final class RootDirectory: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

/// Reads the system as it appears below `root`, so that the same code reads a live board and a fixture tree.
/// Paths given to it are the system's own ("/sys/class/rpmsg"); paths it returns are too. Below a root other
/// than "/", every path is resolved by the kernel as if the root were "/" (openat2 with RESOLVE_IN_ROOT): an
/// absolute link, a `..` or a link out of the tree stays inside it, so a tree from someone else's board can
/// never make rpmsg-doctor read the host.
public struct RootedFileSystem: Sendable {
    public let root: String
    private let hostPrefix: [UInt8]
    private let confinement: RootDirectory?

    /// What one read(2) asks for: a sysfs attribute is at most a page, so a page and one byte holds it whole.
    static let firstReadSize = 4097
    /// The most sysfs returns from one read(2) of any attribute (text or binary) on any page size.
    static let smallestPage = 4096

    public init(root: String = "/") throws(ReadError) {
        let real = try Self.realPath(SysPath(root))
        self.root = root
        self.hostPrefix = real.bytes == [UInt8(ascii: "/")] ? [] : real.bytes
        guard !hostPrefix.isEmpty else {
            confinement = nil
            return
        }
        // The tree must be a directory this user can list: otherwise nothing in it could be read, which is not
        // "no rpmsg here".
        let listable = real.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard listable >= 0 else { throw errno == ENOTDIR ? .failed(errno: ENOTDIR) : ReadError(errno: errno) }
        close(listable)
        let descriptor = real.withCString { Glibc.open($0, open_path_only | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw ReadError(errno: errno) }
        let directory = RootDirectory(descriptor: descriptor)
        let probe = open_in_root(descriptor, ".", UInt64(open_path_only | O_CLOEXEC))
        guard probe >= 0 else { throw errno == ENOSYS ? .unconfinable : ReadError(errno: errno) }
        close(probe)
        confinement = directory
    }

    /// Opens `path` (or `path/name`) with `flags`: on the live system as it is, below a root inside it.
    /// - Returns: the descriptor, or -1 with errno set.
    func open(_ path: SysPath, _ name: String = "", _ flags: Int32) -> Int32 {
        guard let confinement else { return withHostCString(path, name) { Glibc.open($0, flags | O_CLOEXEC) } }
        return SysPath.withCString([UInt8(ascii: ".")], path.bytes, name) { relative in
            // openat2 fails with EAGAIN when a rename anywhere on the system raced with its resolving "..", which
            // sysfs links are full of: it cannot then vouch for the root, and asks to be called again.
            for _ in 0..<Self.renameRaceRetries {
                let fd = open_in_root(confinement.descriptor, relative, UInt64(flags | O_CLOEXEC))
                if fd >= 0 || errno != EAGAIN { return fd }
            }
            return open_in_root(confinement.descriptor, relative, UInt64(flags | O_CLOEXEC))
        }
    }

    /// How many times an open below the root is tried again after a rename raced with it, before giving up.
    static let renameRaceRetries = 64

    public var isLive: Bool { hostPrefix.isEmpty }

    public func hostPath(_ path: SysPath) -> SysPath { SysPath(bytes: hostPrefix + path.bytes) }

    /// The host path of `path`, or of `path/name` when `name` is not empty, as a C string for the duration of `body`.
    func withHostCString<T>(_ path: SysPath, _ name: String = "", _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try SysPath.withCString(hostPrefix, path.bytes, name, body)
    }

    /// The content of a small file such as a sysfs attribute, at most `limit` bytes.
    /// Only regular files are read: a FIFO or device node in place of a file reads as empty, a directory fails.
    public func read(_ path: SysPath, limit: Int = 65536) -> Result<[UInt8], ReadError> {
        withContent(of: path, limit: limit, followingLinks: true) { Array($0) }
    }

    /// A sysfs attribute as text without its trailing newline.
    public func attribute(_ path: SysPath) -> Result<String, ReadError> {
        withContent(of: path, followingLinks: true, Self.attributeText)
    }

    /// An attribute's bytes as text: without trailing newlines and NULs, bytes that are not UTF-8 as `\xNN`.
    static func attributeText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        DisplayText.decode(UnsafeBufferPointer(rebasing: bytes[..<attributeEnd(bytes)]))
    }

    /// Where an attribute's content ends, before its trailing newlines and NULs.
    static func attributeEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0x0A || bytes[end - 1] == 0 { end -= 1 }
        return end
    }

    /// A buffer for the first read of each file, for a caller that reads many files one after another.
    final class ReadBuffer {
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: RootedFileSystem.firstReadSize)
        deinit { bytes.deallocate() }
    }

    /// Opens `path` (or `path/name`) once, checks with fstat(2) that it is a regular file, and reads it: in one
    /// read(2) when that returns less than a page of a file with a size (every sysfs attribute, every small
    /// file), else on to its end or `limit` (files in /proc have no size and may return less than asked before
    /// their end). `body` sees the content only during the call.
    /// - Parameter followingLinks: false opens the file with O_NOFOLLOW: a symbolic link as the last component
    ///   fails with `.loop` instead of being read (sysfs attributes are never links).
    func withContent<T>(of path: SysPath, _ name: String = "", limit: Int = 65536, followingLinks: Bool,
                        buffer: ReadBuffer? = nil, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> Result<T, ReadError> {
        let fd = open(path, name, O_RDONLY | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return .failure(ReadError(errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(ReadError(errno: errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(ReadError(errno: EISDIR))
        default: return .success(body(UnsafeBufferPointer(start: nil, count: 0)))
        }
        guard limit > 0 else { return .success(body(UnsafeBufferPointer(start: nil, count: 0))) }
        if let buffer { return Self.read(fd, info, limit: limit, into: buffer.bytes, body) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: min(limit, Self.firstReadSize)) {
            Self.read(fd, info, limit: limit, into: $0, body)
        }
    }

    private static func read<T>(_ fd: Int32, _ info: stat, limit: Int, into buffer: UnsafeMutableBufferPointer<UInt8>,
                                _ body: (UnsafeBufferPointer<UInt8>) -> T) -> Result<T, ReadError> {
        let firstSize = min(limit, buffer.count)
        let count: Int
        switch readRetrying(fd, buffer.baseAddress, firstSize) {
        case .failure(let error): return .failure(error)
        case .success(let read): count = read
        }
        let first = UnsafeBufferPointer(rebasing: buffer[..<count])
        if count == 0 || count >= limit || (count < smallestPage && count < firstSize && info.st_size > 0) {
            return .success(body(first))
        }
        var content = Array(first)
        while content.count < limit {
            switch readRetrying(fd, buffer.baseAddress, min(buffer.count, limit - content.count)) {
            case .failure(let error): return .failure(error)
            case .success(0): return .success(content.withUnsafeBufferPointer(body))
            case .success(let read): content.append(contentsOf: buffer[..<read])
            }
        }
        return .success(content.withUnsafeBufferPointer(body))
    }

    private static func readRetrying(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> Result<Int, ReadError> {
        while true {
            let read = Glibc.read(fd, buffer, count)
            if read >= 0 { return .success(read) }
            if errno != EINTR { return .failure(ReadError(errno: errno)) }
        }
    }

    /// Entry names of a directory, without "." and "..", sorted bytewise.
    public func list(_ path: SysPath) -> Result<[[UInt8]], ReadError> {
        let fd = open(path, "", O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return .failure(ReadError(errno: errno)) }
        guard let dir = fdopendir(fd) else {
            let code = errno
            close(fd)
            return .failure(ReadError(errno: code))
        }
        defer { closedir(dir) }
        // The names one after another in one buffer, sorted by where they are, then copied out in order.
        var storage: [UInt8] = []
        var names: [Range<Int>] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name)!
        while let entry = readdir(dir) {
            let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
            let length = strlen(name)
            if name[0] == 0x2E && (length == 1 || (length == 2 && name[1] == 0x2E)) { continue }
            names.append(storage.count..<(storage.count + length))
            storage.append(contentsOf: UnsafeBufferPointer(start: name, count: length))
        }
        return storage.withUnsafeBufferPointer { storage in
            names.sort { lhs, rhs in
                let order = memcmp(storage.baseAddress! + lhs.lowerBound, storage.baseAddress! + rhs.lowerBound, min(lhs.count, rhs.count))
                return order != 0 ? order < 0 : lhs.count < rhs.count
            }
            return .success(names.map { Array(storage[$0]) })
        }
    }

    /// The path with every symbolic link resolved, as a path of the system below root.
    public func resolve(_ path: SysPath) -> Result<SysPath, ReadError> {
        do {
            let real = try confinement == nil ? Self.realPath(hostPath(path)) : confinedRealPath(path)
            // Below the root: the root itself or a path that goes on with "/" after it ("/tmp/ab" is not below "/tmp/a").
            guard real.bytes.starts(with: hostPrefix),
                  real.bytes.count == hostPrefix.count || real.bytes[hostPrefix.count] == UInt8(ascii: "/") else { return .failure(.missing) }
            let inside = Array(real.bytes.dropFirst(hostPrefix.count))
            return .success(SysPath(bytes: inside.isEmpty ? [UInt8(ascii: "/")] : inside))
        } catch {
            return .failure(error)
        }
    }

    public func readLink(_ path: SysPath) -> Result<[UInt8], ReadError> {
        switch linkTarget(path) {
        case .link(let target): .success(target)
        case .notALink: .failure(ReadError(errno: EINVAL))
        case .failed(let code): .failure(ReadError(errno: code))
        }
    }

    enum LinkTarget {
        case link([UInt8])
        case notALink
        /// readlink(2) failed otherwise (the errno), or the target did not fit in PATH_MAX.
        case failed(Int32)
    }

    /// One readlink(2) of `path` (or `path/name`): the target of a link, or that the path exists and is not one.
    func linkTarget(_ path: SysPath, _ name: String = "") -> LinkTarget {
        if confinement != nil { return confinedLinkTarget(path, name) }
        return withHostCString(path, name) { hostPath in
            /// nil when the target filled the buffer: it may be longer
            func readLink(size: Int) -> LinkTarget? {
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { buffer -> LinkTarget? in
                    let count = readlink(hostPath, UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), size)
                    if count < 0 { return errno == EINVAL ? .notALink : .failed(errno) }
                    return count < size ? .link(Array(UnsafeBufferPointer(rebasing: buffer[..<count]))) : nil
                }
            }
            // sysfs link targets are short: a buffer on the stack first, then one of PATH_MAX
            return readLink(size: 512) ?? readLink(size: Int(PATH_MAX)) ?? .failed(ENAMETOOLONG)
        }
    }

    public func status(_ path: SysPath, followLinks: Bool = false) -> Result<FileStatus, ReadError> {
        var info = stat()
        let result: Int32
        if confinement == nil {
            result = withHostCString(path) { followLinks ? stat($0, &info) : lstat($0, &info) }
        } else {
            let fd = open(path, "", open_path_only | (followLinks ? 0 : O_NOFOLLOW))
            result = fd < 0 ? -1 : fstat(fd, &info)
            if fd >= 0 { close(fd) }
        }
        guard result == 0 else { return .failure(ReadError(errno: errno)) }
        let kind: FileStatus.Kind
        switch info.st_mode & S_IFMT {
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFDIR: kind = .directory
        case S_IFREG: kind = .regular
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        return .success(FileStatus(
            kind: kind,
            major: device_major(UInt64(info.st_rdev)),
            minor: device_minor(UInt64(info.st_rdev)),
            uid: info.st_uid,
            gid: info.st_gid,
            mode: info.st_mode & 0o7777
        ))
    }

    public func exists(_ path: SysPath) -> Bool {
        guard confinement != nil else { return withHostCString(path) { access($0, F_OK) } == 0 }
        return (try? status(path, followLinks: true).get()) != nil
    }

    /// The host path the kernel reached resolving `path` inside the root.
    private func confinedRealPath(_ path: SysPath) throws(ReadError) -> SysPath {
        let fd = open(path, "", open_path_only)
        guard fd >= 0 else { throw ReadError(errno: errno) }
        defer { close(fd) }
        switch Self.readLink(SysPath("/proc/self/fd/\(fd)")) {
        case .link(let target): return SysPath(bytes: target)
        case .notALink: throw ReadError(errno: EINVAL)
        case .failed(let code): throw ReadError(errno: code)
        }
    }

    /// The target of a link inside the root, read through a descriptor of the link itself.
    private func confinedLinkTarget(_ path: SysPath, _ name: String) -> LinkTarget {
        let fd = open(path, name, open_path_only | O_NOFOLLOW)
        guard fd >= 0 else { return .failed(errno) }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX)) { buffer in
            // With an empty path readlinkat reads the link the descriptor stands for, and fails with ENOENT on
            // anything else (the descriptor exists, so ENOENT says no more than that).
            let count = readlinkat(fd, "", buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return errno == ENOENT ? .notALink : .failed(errno) }
            guard count < buffer.count else { return .failed(ENAMETOOLONG) }
            return .link(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<count]).map { $0 })
        }
    }

    private static func readLink(_ path: SysPath) -> LinkTarget {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX)) { buffer in
            let count = path.withCString { readlink($0, buffer.baseAddress!, buffer.count) }
            guard count >= 0 else { return errno == EINVAL ? .notALink : .failed(errno) }
            return .link(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<count]).map { $0 })
        }
    }

    private static func realPath(_ path: SysPath) throws(ReadError) -> SysPath {
        guard let resolved = path.withCString({ realpath($0, nil) }) else { throw ReadError(errno: errno) }
        defer { free(resolved) }
        let length = strlen(resolved)
        return SysPath(bytes: UnsafeBufferPointer(start: resolved, count: length).map { UInt8(bitPattern: $0) })
    }
}
