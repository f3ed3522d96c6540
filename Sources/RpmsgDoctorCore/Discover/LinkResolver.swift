#if canImport(Glibc)
import Glibc
#endif

/// Resolves links of the live system as realpath(3) does (one component at a time, each checked with readlink(2)),
/// but remembers every path it has found to be real, so that resolving many links into the same directories
/// costs one readlink(2) for the link and one for each component its target adds: a sysfs class or bus link
/// costs two instead of one per component of its target (about 17 for a channel of a remoteproc virtio device).
/// (Below a root the kernel resolves each path whole, inside the root: see `RootedFileSystem.resolve`.)
///
/// It only ever walks down from "/" with relative targets. Whatever it does not handle itself, it leaves to
/// `RootedFileSystem.resolve`, so results and errors are the same: an absolute target, ".." above "/", more than
/// 40 links in one path, any failed readlink(2). Meant for one scan: what it remembers is not checked again.
struct LinkResolver {
    /// Paths below the root known to exist with no link in any component (so every prefix of one is known too).
    private var realPaths = PathSet()
    /// The directory the last link was in ("/sys/class/rpmsg": discovery resolves the links of one directory
    /// after another), and its real path.
    private var linkDirectory: (path: [UInt8], real: [UInt8])?

    static let linkLimit = 40

    mutating func resolve(_ path: SysPath, in fs: RootedFileSystem) -> Result<SysPath, ReadError> {
        if let resolved = resolveLink(path.bytes, in: fs) ?? walk(path.bytes[...], in: fs) {
            return .success(SysPath(bytes: resolved.isEmpty ? [UInt8(ascii: "/")] : resolved))
        }
        return fs.resolve(path)
    }

    /// The common case in one or two readlink(2): `path` is a link in a known directory whose target goes up
    /// (`../../`) and then down into a directory already known to be real, to one more component.
    private mutating func resolveLink(_ path: [UInt8], in fs: RootedFileSystem) -> [UInt8]? {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")), slash + 1 < path.count, path.first == UInt8(ascii: "/") else { return nil }
        let name = path[(slash + 1)...]
        if Self.isDotOrDots(name) { return nil }
        var directory: [UInt8] = []
        if slash > 0 {
            if let last = linkDirectory, last.path[...] == path[..<slash] {
                directory = last.real
            } else {
                guard let walked = walk(path[..<slash], in: fs) else { return nil }
                linkDirectory = (Array(path[..<slash]), walked)
                directory = walked
            }
        }
        var candidate = directory
        candidate.append(UInt8(ascii: "/"))
        candidate.append(contentsOf: name)
        switch fs.linkTarget(SysPath(bytes: candidate)) {
        case .notALink:
            return candidate
        case .failed:
            return nil
        case .link(let target):
            // "../" a few times, then plain components: anything else is walked.
            guard target.first != UInt8(ascii: "/") else { return nil }
            var resolved = directory
            var start = target.startIndex
            while target[start...].starts(with: [UInt8(ascii: "."), UInt8(ascii: "."), UInt8(ascii: "/")]) {
                guard let up = resolved.lastIndex(of: UInt8(ascii: "/")) else { return nil }
                resolved.removeSubrange(up...)
                start += 3
            }
            let rest = target[start...]
            guard let lastSlash = rest.lastIndex(of: UInt8(ascii: "/")), lastSlash + 1 < rest.endIndex else { return nil }
            guard Self.arePlainComponents(rest) else { return nil }
            resolved.append(UInt8(ascii: "/"))
            resolved.append(contentsOf: rest[..<lastSlash])
            guard realPaths.contains(resolved[...]) else {
                // A directory not seen yet: walk the rest of the way (the up-steps were taken in a real directory).
                resolved.append(contentsOf: rest[lastSlash...])
                return walk(resolved[...], in: fs)
            }
            resolved.append(contentsOf: rest[lastSlash...])
            if realPaths.contains(resolved[...]) { return resolved }
            guard case .notALink = fs.linkTarget(SysPath(bytes: resolved)) else { return nil }
            realPaths.insert(resolved[...])
            return resolved
        }
    }

    /// realpath(3), one component at a time, remembering the real paths it passes.
    private mutating func walk(_ path: ArraySlice<UInt8>, in fs: RootedFileSystem) -> [UInt8]? {
        guard path.first == UInt8(ascii: "/"), path.count == 1 || path.last != UInt8(ascii: "/") else { return nil }
        var current: [UInt8] = []
        current.reserveCapacity(256)
        // Components still to walk, the next one last.
        var pending = Array(path.split(separator: UInt8(ascii: "/")).reversed())
        var links = 0
        while let component = pending.popLast() {
            if component.count == 1 && component.first == UInt8(ascii: ".") { continue }
            if Self.isDots(component) {
                guard let up = current.lastIndex(of: UInt8(ascii: "/")) else { return nil }
                current.removeSubrange(up...)
                continue
            }
            let parentLength = current.count
            current.append(UInt8(ascii: "/"))
            current.append(contentsOf: component)
            if realPaths.contains(current[...]) {
                if Self.mustBeDirectory(before: pending) { return nil }
                continue
            }
            switch fs.linkTarget(SysPath(bytes: current)) {
            case .notALink:
                if Self.mustBeDirectory(before: pending) { return nil }
                realPaths.insert(current[...])
            case .link(let target):
                links += 1
                guard links <= Self.linkLimit, let first = target.first, first != UInt8(ascii: "/") else { return nil }
                current.removeSubrange(parentLength...)
                // "dir/" must be a directory, as "dir/." must
                if target.last == UInt8(ascii: "/") { pending.append([UInt8(ascii: ".")][...]) }
                pending.append(contentsOf: target.split(separator: UInt8(ascii: "/")).reversed())
            case .failed:
                return nil
            }
        }
        return current
    }

    /// Whether what follows a component that is not a link makes realpath(3) check that it is a directory: only
    /// "." up to the end, or ".." (after any "."). Those few paths are left to realpath(3).
    private static func mustBeDirectory(before pending: [ArraySlice<UInt8>]) -> Bool {
        for component in pending.reversed() {
            if component.count == 1 && component.first == UInt8(ascii: ".") { continue }
            return isDots(component)
        }
        return pending.isEmpty ? false : true
    }

    private static func isDots(_ component: ArraySlice<UInt8>) -> Bool {
        component.count == 2 && component.first == UInt8(ascii: ".") && component.last == UInt8(ascii: ".")
    }

    private static func isDotOrDots(_ component: ArraySlice<UInt8>) -> Bool {
        component.isEmpty || isDots(component) || (component.count == 1 && component.first == UInt8(ascii: "."))
    }

    /// Whether `path` is components separated by single slashes, none of them empty, "." or "..".
    private static func arePlainComponents(_ path: ArraySlice<UInt8>) -> Bool {
        path.withUnsafeBufferPointer { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            var start = 0
            while true {
                // a component starts here: it may not be empty, "." or ".."
                let remaining = bytes.count - start
                guard remaining > 0, base[start] != UInt8(ascii: "/") else { return false }
                if base[start] == UInt8(ascii: ".") {
                    if remaining == 1 || base[start + 1] == UInt8(ascii: "/") { return false }
                    if base[start + 1] == UInt8(ascii: "."), remaining == 2 || base[start + 2] == UInt8(ascii: "/") { return false }
                }
                guard let slash = memchr(base + start, Int32(UInt8(ascii: "/")), remaining) else { return true }
                start = UnsafeRawPointer(slash) - UnsafeRawPointer(base) + 1
            }
        }
    }
}

/// A set of paths, hashed on their length and last 32 bytes (paths in one directory differ at their ends) with
/// FNV-1a, in one open-addressing table: cheaper than `Set<[UInt8]>`, which hashes byte by byte with SipHash.
private struct PathSet {
    private var paths: [[UInt8]] = []
    /// Index into `paths` plus one, 0 for an empty slot; a power of two long, at most half full.
    private var slots = [Int32](repeating: 0, count: 4096)

    func contains(_ path: ArraySlice<UInt8>) -> Bool {
        path.withUnsafeBufferPointer { find($0).found }
    }

    mutating func insert(_ path: ArraySlice<UInt8>) {
        let (slot, found) = path.withUnsafeBufferPointer { find($0) }
        guard !found else { return }
        paths.append(Array(path))
        slots[slot] = Int32(paths.count)
        if paths.count * 2 > slots.count { grow() }
    }

    private func find(_ path: UnsafeBufferPointer<UInt8>) -> (slot: Int, found: Bool) {
        let mask = slots.count - 1
        var slot = Self.hash(path) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (slot, false) }
            let candidate = paths[entry - 1]
            if candidate.count == path.count, candidate.withUnsafeBufferPointer({ Self.same($0, path) }) { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, path) in paths.enumerated() {
            var slot = path.withUnsafeBufferPointer(Self.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    private static func same(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        lhs.isEmpty || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0
    }

    private static func hash(_ path: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(path.count)
        for byte in path.suffix(32) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
