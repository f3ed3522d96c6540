import RpmsgDoctorCore
#if canImport(Glibc)
import Glibc
#endif

extension FixtureTree {
    /// A symbolic link at `path` to `target`, both paths of the fixture system, written RELATIVE as sysfs
    /// writes its links (`../../devices/...`), so it resolves inside the tree.
    public func link(_ path: SysPath, to target: SysPath) throws {
        try linkVerbatim(path, target: Self.relativeTarget(from: path, to: target))
    }

    /// A symbolic link holding exactly these bytes, for loops and links into nowhere.
    public func linkVerbatim(_ path: SysPath, target: [UInt8]) throws {
        let host = hostPath(path)
        let make = { SysPath(bytes: target).withCString { target in host.withCString { symlink(target, $0) } } }
        if make() == 0 { return }
        guard errno == ENOENT else { throw FixtureError("symlink", path) }
        try makeDirectory(path.parent)
        guard make() == 0 else { throw FixtureError("symlink", path) }
    }

    /// The text of a link placed at `link` that leads to `target`: up to their common ancestor, then down.
    public static func relativeTarget(from link: SysPath, to target: SysPath) -> [UInt8] {
        let from = link.parent.components
        let to = target.components
        let common = zip(from, to).prefix(while: { $0 == $1 }).count
        let up = Array(repeating: Array("..".utf8), count: from.count - common)
        let parts = up + Array(to[common...])
        return Array(parts.joined(separator: [UInt8(ascii: "/")]))
    }
}
