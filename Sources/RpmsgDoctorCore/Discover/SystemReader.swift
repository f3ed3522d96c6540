/// Reads one system (live or below a root) once, remembering what it could not read and why.
final class SystemReader {
    let fs: RootedFileSystem
    private(set) var problems: [ReadProblem] = []

    init(fs: RootedFileSystem) { self.fs = fs }

    /// Notes a failure worth telling the user; a missing optional file is not one.
    func note(_ path: SysPath, _ error: ReadError) {
        note(ReadProblem(path: path.description, error: error.description))
    }

    func note(_ problem: ReadProblem) { problems.append(problem) }

    /// An attribute that is expected to be there: any failure is noted.
    func attribute(_ path: SysPath) -> String? {
        switch fs.attribute(path) {
        case .success(let value): return value
        case .failure(let error):
            note(path, error)
            return nil
        }
    }

    /// An attribute that older kernels or other vendors may lack: only failures other than absence are noted.
    func optionalAttribute(_ path: SysPath) -> String? {
        switch fs.attribute(path) {
        case .success(let value): return value
        case .failure(.missing): return nil
        case .failure(let error):
            note(path, error)
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

    func resolve(_ path: SysPath) -> SysPath? {
        switch fs.resolve(path) {
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

    /// The name of the target of a link such as `driver`, or nil when there is none.
    func linkTarget(_ path: SysPath) -> String? {
        switch fs.readLink(path) {
        case .success(let target): return DisplayText.decode(SysPath(bytes: target).lastComponent)
        case .failure(.missing): return nil
        case .failure(let error):
            note(path, error)
            return nil
        }
    }
}
