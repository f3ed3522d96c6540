#if canImport(Glibc)
import Glibc
#endif

/// The facts about the invoking process that decide how an install goes.
public struct InstallContext: Equatable, Sendable {
    public var isRoot: Bool
    /// Where udevadm is installed, or nil.
    public var udevadm: String?
    /// Who should get the group: the user behind sudo, or the invoking user when that is not root.
    public var user: String?

    public init(isRoot: Bool, udevadm: String?, user: String?) {
        self.isRoot = isRoot
        self.udevadm = udevadm
        self.user = user
    }

    public static func current() -> InstallContext {
        let isRoot = geteuid() == 0
        let sudoUser = getenv("SUDO_USER").map { String(cString: $0) }.flatMap { $0.isEmpty || $0 == "root" ? nil : $0 }
        let ownName = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }
        return InstallContext(isRoot: isRoot, udevadm: ExecutableSearch.find("udevadm"), user: sudoUser ?? (isRoot ? nil : ownName))
    }
}

/// Why `--install` will not start; it then changes nothing.
public enum InstallProblem: Error, Equatable, CustomStringConvertible {
    case needsRoot(command: String)
    case udevadmMissing
    case foreignFile(String)
    case rootMissing(String)

    public var description: String {
        switch self {
        case .needsRoot(let command):
            "writing /etc/udev/rules.d and reloading udev need root: run `sudo \(command)`"
        case .udevadmMissing:
            "udevadm is not installed (looked in PATH and \(ExecutableSearch.fallbackDirectories.joined(separator: ", "))): without udev "
                + "no rule applies. Install it (Debian: apt-get install udev), or write into a system image with --root DIR"
        case .foreignFile(let path):
            "\(path) exists and was not written by rpmsg-doctor: read it, move it away, or pass --force to replace it"
        case .rootMissing(let root):
            "--root \(root) is not a directory"
        }
    }
}
