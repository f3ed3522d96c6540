import Foundation

public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Replaces a file in one step, so that udev, which watches rules.d, reads the old content or the new, never a part.
enum AtomicFile {
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(FileWriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: path, reason: (error as NSError).localizedDescription)
        }
        // A name not ending in .rules: udev skips the file while it is being written.
        var template = Array((directory + "/." + (path as NSString).lastPathComponent + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let bytes = Array(text.utf8)
        var written = 0
        var failedWith: Int32?
        while written < bytes.count, failedWith == nil {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno != EINTR { failedWith = errno }
            } else {
                written += count
            }
        }
        if failedWith == nil, fchmod(fd, mode) != 0 || fsync(fd) != 0 { failedWith = errno }
        if close(fd) != 0, failedWith == nil { failedWith = errno }
        if failedWith == nil, rename(temporary, path) != 0 { failedWith = errno }
        if let failedWith {
            unlink(temporary)
            throw failure(path, failedWith)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> FileWriteError {
        FileWriteError(path: path, reason: String(cString: strerror(code)))
    }
}
