#if canImport(Glibc)
import Glibc
#endif

/// Reads one system (live or below a root) once, remembering what it could not read and why.
final class SystemReader {
    let fs: RootedFileSystem
    private(set) var problems: [ReadProblem] = []
    private var links = LinkResolver()
    private let buffer = RootedFileSystem.ReadBuffer()

    /// What a collector recorded beside the files, when the root is a collected board.
    private(set) var collected: CollectedBoard?

    init(fs: RootedFileSystem) {
        self.fs = fs
        // A collection is a tree to read below a root; on the live system a stray /.rpmsg-collect is nobody's record.
        guard !fs.isLive else { return }
        switch CollectedBoard.read(fs) {
        case .board(let board):
            collected = board
            problems += board.unreadable
        case .unsupported(let problem):
            problems.append(problem)
        case .none:
            break
        }
    }

    /// Notes a failure worth telling the user; a missing optional file is not one.
    func note(_ path: SysPath, _ error: ReadError) {
        note(ReadProblem(path: path.description, error: error.description))
    }

    func note(_ problem: ReadProblem) { problems.append(problem) }

    /// An attribute that is expected to be there (`directory/name`, or `directory` itself when `name` is empty):
    /// any failure is noted. Attributes are files, never links: one that is a link is not followed (out of the
    /// root, perhaps) but fails.
    func attribute(_ directory: SysPath, _ name: String = "") -> String? {
        read(directory, name, optional: false, RootedFileSystem.attributeText)
    }

    /// An attribute that older kernels or other vendors may lack: only failures other than absence are noted.
    func optionalAttribute(_ directory: SysPath, _ name: String = "") -> String? {
        read(directory, name, optional: true, RootedFileSystem.attributeText)
    }

    /// What `body` makes of an optional attribute's bytes, without trailing newlines and NULs (the bytes
    /// `optionalAttribute` decodes), or nil as `optionalAttribute` would give nil.
    func optionalAttribute<T>(_ directory: SysPath, _ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        read(directory, name, optional: true) { bytes in body(UnsafeBufferPointer(rebasing: bytes[..<RootedFileSystem.attributeEnd(bytes)])) }
    }

    private func read<T>(_ directory: SysPath, _ name: String, optional: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        switch fs.withContent(of: directory, name, followingLinks: false, buffer: buffer, body) {
        case .success(let value): return value
        case .failure(.missing) where optional: return nil
        case .failure(let error):
            note(name.isEmpty ? directory : directory + name, error)
            return nil
        }
    }

    /// Entries of a directory that may legitimately be absent (a bus or class the kernel lacks).
    func entries(_ path: SysPath) -> [[UInt8]] {
        switch fs.list(path) {
        case .success(let names): return names
        case .failure(.missing): return []
        case .failure(let error):
            note(path, error)
            return []
        }
    }

    /// The path with every link resolved. Below a root the kernel resolves it whole, inside the root, in one
    /// openat2 (`RootedFileSystem.resolve`); on the live system `LinkResolver` does it with what it already knows.
    func resolve(_ path: SysPath) -> SysPath? {
        switch fs.isLive ? links.resolve(path, in: fs) : fs.resolve(path) {
        case .success(let resolved): return resolved
        case .failure(let error):
            note(path, error)
            return nil
        }
    }

    /// Whether a path exists: nil, with the reason noted, when that cannot be told (permission denied).
    func presence(_ path: SysPath) -> Bool? {
        switch fs.status(path, followLinks: true) {
        case .success: return true
        case .failure(.missing): return false
        case .failure(let error):
            note(path, error)
            return nil
        }
    }

    /// The name of the target of a link such as `driver` (`directory/name`), or nil when there is none.
    func linkTarget(_ directory: SysPath, _ name: String) -> String? {
        switch fs.linkTarget(directory, name) {
        case .link(let target): return DisplayText.decode(SysPath(bytes: target).lastComponent)
        case .notALink: note(directory + name, ReadError(errno: EINVAL))
        case .failed(let code) where ReadError(errno: code) == .missing: break
        case .failed(let code): note(directory + name, ReadError(errno: code))
        }
        return nil
    }
}
