#if canImport(Glibc)
import Glibc
#endif

/// `rm -rf` on raw-byte paths: never follows links (fixture trees and archives contain loops and links out), and
/// makes directories searchable first (tests may have taken permissions away).
public enum FileRemoval {
    public static func removeRecursively(_ path: SysPath) {
        var info = stat()
        guard path.withCString({ lstat($0, &info) }) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            _ = path.withCString { chmod($0, 0o700) }
            for name in entries(path) { removeRecursively(path.appending(name)) }
            _ = path.withCString { rmdir($0) }
        } else {
            _ = path.withCString { unlink($0) }
        }
    }

    private static func entries(_ path: SysPath) -> [[UInt8]] {
        guard let dir = path.withCString({ opendir($0) }) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }
}
