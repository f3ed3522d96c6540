import RpmsgDoctorCore
#if canImport(Glibc)
import Glibc
#endif

/// A fixture could not be built: which step failed, on which path, and why.
public struct FixtureError: Error, CustomStringConvertible {
    public let operation: String
    public let path: String
    /// The errno of the failed call, or 0 when the request itself did not fit the board.
    public let code: Int32

    init(_ operation: String, _ path: SysPath, code: Int32 = errno) {
        self.operation = operation
        self.path = path.description
        self.code = code
    }

    public var description: String {
        code == 0 ? "\(operation): \(path)" : "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}
