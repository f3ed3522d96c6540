import Foundation
import Synchronization

public struct CommandResult: Equatable, Sendable {
    public var status: Int32
    /// Standard output and standard error together, as the person would have seen them.
    public var output: String
    public var timedOut: Bool

    public init(status: Int32, output: String = "", timedOut: Bool = false) {
        self.status = status
        self.output = output
        self.timedOut = timedOut
    }

    public var succeeded: Bool { status == 0 && !timedOut }
}

/// Runs external programs; tests give `UdevRuleInstallation` one that records instead.
public protocol CommandRunning {
    /// - Returns: nil when the program could not be started at all.
    func run(_ executable: String, _ arguments: [String]) -> CommandResult?
}

/// Runs a program with Foundation's Process and kills it when it outlives its timeout.
public struct ProcessRunner: CommandRunning {
    public var timeoutSeconds: Double

    public init(timeoutSeconds: Double = 30) { self.timeoutSeconds = timeoutSeconds }

    public func run(_ executable: String, _ arguments: [String]) -> CommandResult? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return nil }

        // Read while the program runs: a full pipe would otherwise stall it until the timeout.
        let output = CollectedOutput()
        let drained = DispatchSemaphore(value: 0)
        let reader = pipe.fileHandleForReading
        DispatchQueue.global().async {
            let data = reader.readDataToEndOfFile()
            output.data.withLock { $0 = data }
            drained.signal()
        }

        var timedOut = false
        var hasExited = true
        if exited.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            timedOut = true
            hasExited = Self.stop(process, exited: exited)
        }
        // A child the program left behind may hold the pipe open; its output is not worth waiting for.
        _ = drained.wait(timeout: .now() + 2)
        let text = output.data.withLock { String(decoding: $0, as: UTF8.self) }
        return CommandResult(status: hasExited ? process.terminationStatus : -1, output: text, timedOut: timedOut)
    }

    /// SIGTERM, then SIGKILL, to the program's process group (Process starts each program in a group of its own),
    /// so that its children go too; Process reports the exit only once they have.
    private static func stop(_ process: Process, exited: DispatchSemaphore) -> Bool {
        let pid = process.processIdentifier
        let target = getpgid(pid) == pid ? -pid : pid
        kill(target, SIGTERM)
        if exited.wait(timeout: .now() + 2) == .success { return true }
        kill(target, SIGKILL)
        return exited.wait(timeout: .now() + 2) == .success
    }
}

private final class CollectedOutput: Sendable {
    let data = Mutex(Data())
}

public enum ExecutableSearch {
    /// Directories searched after PATH: udevadm lives in /usr/bin or /sbin, and sudo or a user's PATH may lack either.
    static let fallbackDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The full path of an executable named `name`, or nil when none is installed.
    public static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let directories = (path ?? "").split(separator: ":").map(String.init) + fallbackDirectories
        return directories.lazy.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }
}
