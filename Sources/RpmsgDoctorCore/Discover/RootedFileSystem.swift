import CRpmsg
#if canImport(Glibc)
import Glibc
#endif

public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing
    case denied
    case loop
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

/// Reads the system as it appears below `root`, so that the same code reads a live board and a fixture tree.
/// Paths given to it are the system's own ("/sys/class/rpmsg"); paths it returns are too.
public struct RootedFileSystem: Sendable {
    public let root: String
    private let hostPrefix: [UInt8]

    public init(root: String = "/") throws(ReadError) {
        let real = try Self.realPath(SysPath(root))
        self.root = root
        self.hostPrefix = real.bytes == [UInt8(ascii: "/")] ? [] : real.bytes
    }

    public var isLive: Bool { hostPrefix.isEmpty }

    public func hostPath(_ path: SysPath) -> SysPath { SysPath(bytes: hostPrefix + path.bytes) }

    /// The content of a small file such as a sysfs attribute, at most `limit` bytes.
    public func read(_ path: SysPath, limit: Int = 65536) -> Result<[UInt8], ReadError> {
        let fd = hostPath(path).withCString { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(ReadError(errno: errno)) }
        defer { close(fd) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while content.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, limit - content.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(errno: errno))
            }
            if count == 0 { break }
            content += chunk[0..<count]
        }
        return .success(content)
    }

    /// A sysfs attribute as text without its trailing newline.
    public func attribute(_ path: SysPath) -> Result<String, ReadError> {
        read(path).map { bytes in
            var trimmed = bytes[...]
            while let last = trimmed.last, last == 0x0A || last == 0 { trimmed = trimmed.dropLast() }
            return DisplayText.decode(trimmed)
        }
    }

    /// Entry names of a directory, without "." and "..", sorted bytewise.
    public func list(_ path: SysPath) -> Result<[[UInt8]], ReadError> {
        guard let dir = hostPath(path).withCString({ opendir($0) }) else { return .failure(ReadError(errno: errno)) }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// The path with every symbolic link resolved, as a path of the system below root.
    public func resolve(_ path: SysPath) -> Result<SysPath, ReadError> {
        do {
            let real = try Self.realPath(hostPath(path))
            guard real.bytes.starts(with: hostPrefix) else { return .failure(.missing) }
            let inside = Array(real.bytes.dropFirst(hostPrefix.count))
            return .success(SysPath(bytes: inside.isEmpty ? [UInt8(ascii: "/")] : inside))
        } catch {
            return .failure(error)
        }
    }

    public func readLink(_ path: SysPath) -> Result<[UInt8], ReadError> {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = hostPath(path).withCString { readlink($0, &buffer, buffer.count) }
        guard count >= 0 else { return .failure(ReadError(errno: errno)) }
        return .success(buffer[0..<count].map { UInt8(bitPattern: $0) })
    }

    public func status(_ path: SysPath, followLinks: Bool = false) -> Result<FileStatus, ReadError> {
        var info = stat()
        let result = hostPath(path).withCString { followLinks ? stat($0, &info) : lstat($0, &info) }
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
        hostPath(path).withCString { access($0, F_OK) } == 0
    }

    private static func realPath(_ path: SysPath) throws(ReadError) -> SysPath {
        guard let resolved = path.withCString({ realpath($0, nil) }) else { throw ReadError(errno: errno) }
        defer { free(resolved) }
        let length = strlen(resolved)
        return SysPath(bytes: UnsafeBufferPointer(start: resolved, count: length).map { UInt8(bitPattern: $0) })
    }
}
