#if canImport(Glibc)
import Glibc
#endif

public struct ArchiveError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot read archive \(TerminalSafe.text(path)): \(TerminalSafe.text(reason))" }
}

/// A collector archive unpacked into a private temporary directory, removed when this goes away. Discovery reads
/// it as a root like any other (`root`), so an archive and a board are diagnosed by the same code.
public final class ExtractedArchive {
    public let root: String
    private let directory: String

    init(directory: String, top: String) {
        self.directory = directory
        root = directory + "/" + top
    }

    deinit { FileRemoval.removeRecursively(SysPath(directory)) }
}

/// Reads the gzip-compressed tar that scripts/rpmsg-collect.sh writes. The archive comes from someone else's board:
/// only directories, regular files and symbolic links are made, only below the temporary directory (no absolute
/// path, no `..`, nothing written through a link the archive made), within limits of size and count; links keep
/// their targets, which the rooted file system resolves inside the tree.
public enum CollectorArchive {
    public static let topDirectory = "rpmsg-collect"
    static let entryLimit = 200_000
    static let entryByteLimit = 16 << 20
    static let totalByteLimit = 256 << 20
    /// Deeper than any sysfs path the collector copies, and short enough that the whole tree can be removed again.
    static let depthLimit = 64

    /// Whether the file starts as gzip does; told by content, not by name.
    public static func isArchive(_ path: String) -> Bool {
        let fd = open(path == "-" ? "/dev/null" : path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        var magic: [UInt8] = [0, 0]
        return read(fd, &magic, 2) == 2 && magic == [0x1F, 0x8B]
    }

    public static func extract(_ path: String) throws(ArchiveError) -> ExtractedArchive {
        guard let library = LibArchive.load() else {
            throw ArchiveError(path: path, reason: "reading it needs libarchive (Debian: libarchive13), which is not installed; "
                + "or unpack it with `tar -xzf` and scan the directory with --root")
        }
        var template = Array(((getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/rpmsg-doctor-archive.XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ArchiveError(path: path, reason: "no temporary directory: " + String(cString: strerror(errno)))
        }
        let directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let extracted = ExtractedArchive(directory: directory, top: topDirectory)
        var unpacker = Unpacker(library: library, path: path, directory: directory)
        try unpacker.run()
        guard unpacker.sawTop else {
            throw ArchiveError(path: path, reason: "it holds no \(topDirectory)/ directory: not an archive of rpmsg-collect.sh")
        }
        // A top that is a link (to "/", say) would make the scan read wherever it leads.
        var top = stat()
        guard lstat(extracted.root, &top) == 0, top.st_mode & S_IFMT == S_IFDIR else {
            throw ArchiveError(path: path, reason: "its \(topDirectory) is not a directory")
        }
        return extracted
    }
}

/// One pass over the archive's entries, writing what is safe below `directory`.
private struct Unpacker {
    let library: LibArchive
    let path: String
    let directory: String
    var entries = 0
    var bytes = 0
    var sawTop = false

    init(library: LibArchive, path: String, directory: String) {
        self.library = library
        self.path = path
        self.directory = directory
    }

    func failure(_ reason: String) -> ArchiveError { ArchiveError(path: path, reason: reason) }

    mutating func run() throws(ArchiveError) {
        guard let archive = library.readNew() else { throw failure("libarchive could not start") }
        defer { _ = library.readFree(archive) }
        _ = library.supportGzip(archive)
        _ = library.supportTar(archive)
        guard library.openFilename(archive, path, 65536) == LibArchive.ok else { throw failure(libraryError(archive)) }
        let root = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else { throw failure("cannot open the temporary directory") }
        defer { close(root) }
        var entry: LibArchive.Entry?
        while true {
            let status = library.nextHeader(archive, &entry)
            if status == LibArchive.endOfArchive { return }
            guard status == LibArchive.ok || status == LibArchive.warning, let entry else { throw failure(libraryError(archive)) }
            entries += 1
            guard entries <= CollectorArchive.entryLimit else { throw failure("more than \(CollectorArchive.entryLimit) entries") }
            // Names are bytes: a channel name from firmware need not be UTF-8, and must come out as it went in.
            guard let name = library.pathname(entry).map(Self.bytes) else { continue }
            let components = try safeComponents(name)
            guard !components.isEmpty else { continue }
            if components[0] == Array(CollectorArchive.topDirectory.utf8) { sawTop = true }
            try place(components, entry: entry, archive: archive, root: root)
        }
    }

    static func bytes(_ string: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: UnsafeRawPointer(string).assumingMemoryBound(to: UInt8.self), count: strlen(string)))
    }

    /// The path's components, refused when absolute, climbing out with `..`, or nested too deep.
    func safeComponents(_ name: [UInt8]) throws(ArchiveError) -> [[UInt8]] {
        let shown = DisplayText.decode(name)
        guard name.first != UInt8(ascii: "/") else { throw failure("an entry has an absolute path: \(shown)") }
        let components = name.split(separator: UInt8(ascii: "/")).map(Array.init).filter { $0 != [UInt8(ascii: ".")] }
        guard !components.contains([UInt8(ascii: "."), UInt8(ascii: ".")]) else { throw failure("an entry climbs out with ..: \(shown)") }
        guard components.count <= CollectorArchive.depthLimit, directory.utf8.count + 1 + name.count < Int(PATH_MAX) else {
            throw failure("an entry is nested deeper than \(CollectorArchive.depthLimit) directories or \(PATH_MAX) bytes")
        }
        return components
    }

    mutating func place(_ components: [[UInt8]], entry: LibArchive.Entry, archive: LibArchive.Archive, root: Int32) throws(ArchiveError) {
        let type = library.fileType(entry)
        let shown = DisplayText.decode(Array(components.joined(separator: [UInt8(ascii: "/")])))
        let parent = try openDirectory(components.dropLast(), root: root, shown: shown)
        defer { if parent != root { close(parent) } }
        let name = SysPath(bytes: components[components.count - 1])
        switch type {
        case LibArchive.directory:
            if name.withCString({ mkdirat(parent, $0, 0o755) }) != 0, errno != EEXIST { throw failure("cannot make \(shown)") }
        case LibArchive.symbolicLink:
            guard let target = library.symlink(entry) else { return }
            if name.withCString({ symlinkat(target, parent, $0) }) != 0, errno != EEXIST { throw failure("cannot make link \(shown)") }
        case LibArchive.regularFile:
            try copyFile(named: name, into: parent, archive: archive, shownAs: shown)
        default:
            return // devices, FIFOs, sockets and hard links are never made: the collector records nodes as text
        }
    }

    /// Opens each directory down from the root without following links, making missing ones.
    func openDirectory(_ components: ArraySlice<[UInt8]>, root: Int32, shown: String) throws(ArchiveError) -> Int32 {
        var current = root
        for component in components.map({ SysPath(bytes: $0) }) {
            if component.withCString({ mkdirat(current, $0, 0o755) }) != 0, errno != EEXIST {
                if current != root { close(current) }
                throw failure("cannot make the directories of \(shown)")
            }
            let next = component.withCString { openat(current, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            if current != root { close(current) }
            guard next >= 0 else { throw failure("an entry would be written through a link or a file: \(shown)") }
            current = next
        }
        return current
    }

    mutating func copyFile(named name: SysPath, into parent: Int32, archive: LibArchive.Archive, shownAs shown: String) throws(ArchiveError) {
        let fd = name.withCString { openat(parent, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw failure("cannot make \(shown) (twice in the archive, or through a link)") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var written = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { library.readData(archive, $0.baseAddress, $0.count) }
            if count == 0 { return }
            guard count > 0 else { throw failure(libraryError(archive)) }
            written += count
            bytes += count
            guard written <= CollectorArchive.entryByteLimit else { throw failure("\(shown) is larger than \(CollectorArchive.entryByteLimit >> 20) MiB") }
            guard bytes <= CollectorArchive.totalByteLimit else { throw failure("it unpacks to more than \(CollectorArchive.totalByteLimit >> 20) MiB") }
            guard buffer.withUnsafeBytes({ write(fd, $0.baseAddress, count) }) == count else { throw failure("cannot write \(shown)") }
        }
    }

    func libraryError(_ archive: LibArchive.Archive) -> String {
        library.errorString(archive).map { String(cString: $0) } ?? "truncated or corrupt"
    }
}
