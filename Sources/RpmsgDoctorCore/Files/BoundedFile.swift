#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file someone else made (a snapshot, a payload) up to a size limit, without hanging on a FIFO or
/// a device, and says in plain words why it could not.
public enum BoundedFile {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotOpen(reason: String)
        case notARegularFile(kind: String)
        case tooLarge(limit: Int)
        case readFailed(reason: String)

        public var description: String {
            switch self {
            case .cannotOpen(let reason), .readFailed(let reason): reason
            case .notARegularFile(let kind): "it is \(kind), not a regular file"
            case .tooLarge(let limit): limit >= 1 << 20 ? "it is larger than \(limit >> 20) MiB" : "it is larger than \(limit) bytes"
            }
        }
    }

    /// The bytes of `path`, or of standard input for "-", at most `limit` of them.
    public static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        if path == "-" { return try read(descriptor: STDIN_FILENO, limit: limit) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw .cannotOpen(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notARegularFile(kind: "a directory")
        case S_IFCHR: throw .notARegularFile(kind: "a character device")
        case S_IFBLK: throw .notARegularFile(kind: "a block device")
        case S_IFIFO: throw .notARegularFile(kind: "a FIFO")
        case S_IFSOCK: throw .notARegularFile(kind: "a socket")
        default: throw .notARegularFile(kind: "a special file")
        }
        guard Int(info.st_size) <= limit else { throw .tooLarge(limit: limit) }
        return try read(descriptor: fd, limit: limit)
    }

    private static func read(descriptor fd: Int32, limit: Int) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(reason: String(cString: strerror(errno)))
            }
            guard bytes.count + count <= limit else { throw .tooLarge(limit: limit) }
            bytes += chunk[0..<count]
        }
    }
}
