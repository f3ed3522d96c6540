import RpmsgDoctorCore
#if canImport(Glibc)
import Glibc
#endif

/// A directory standing in for a system's root (what `--root` points at), made fresh in a temporary directory.
/// Paths given to it are the system's own ("/sys/class/rpmsg"); it owns everything below its root and
/// removes it all in `remove()`.
public final class FixtureTree {
    /// The host path of the root directory.
    public let root: String
    private let rootBytes: [UInt8]

    /// - Parameter parent: where to make the tree; by default $TMPDIR, else /dev/shm, else /tmp.
    public init(in parent: String? = nil) throws {
        let base = parent ?? Self.defaultParent
        var template = Array((base + "/rpmsg-fixture.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FixtureError("mkdtemp", SysPath(base))
        }
        root = String(cString: made)
        rootBytes = Array(root.utf8)
    }

    /// Fixtures are thousands of tiny files and links: on a journaling disk each costs about a millisecond,
    /// in memory-backed /dev/shm a few microseconds.
    static var defaultParent: String {
        if let tmpdir = getenv("TMPDIR") { return String(cString: tmpdir) }
        return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    }

    /// Where a path of the fixture system lives on the host.
    public func hostPath(_ path: SysPath) -> SysPath {
        SysPath(bytes: rootBytes + path.bytes)
    }

    /// Removes the whole tree. Safe to call more than once.
    public func remove() {
        FileRemoval.removeRecursively(SysPath(bytes: rootBytes))
    }
}
