#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which one, on what, and errno.
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var path: String
    public var code: Int32

    public init(_ call: String, _ path: String, _ code: Int32 = errno) {
        self.call = call
        self.path = path
        self.code = code
    }

    public var name: String { Self.names[code] ?? "errno \(code)" }

    public var description: String { "\(call) \(path): \(name) (\(String(cString: strerror(code))))" }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EINTR: "EINTR", EIO: "EIO", ENXIO: "ENXIO", EBADF: "EBADF", EAGAIN: "EAGAIN",
        ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST", ENODEV: "ENODEV",
        EINVAL: "EINVAL", ENOTTY: "ENOTTY", ENOSPC: "ENOSPC", EPIPE: "EPIPE", EMSGSIZE: "EMSGSIZE", ENETRESET: "ENETRESET",
        ETIMEDOUT: "ETIMEDOUT", EOPNOTSUPP: "EOPNOTSUPP", ERANGE: "ERANGE",
    ]
}
