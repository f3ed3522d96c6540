#if canImport(Glibc)
import Glibc
#endif

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

/// Runs a program with posix_spawn in a process group of its own, collects its output while it runs, and kills the
/// group when it outlives its timeout. Needs neither Foundation nor a thread.
public struct ProcessRunner: CommandRunning {
    public var timeoutSeconds: Double
    /// Output past this is dropped: udevadm says a few lines.
    static let outputLimit = 4 << 20

    public init(timeoutSeconds: Double = 30) { self.timeoutSeconds = timeoutSeconds }

    public func run(_ executable: String, _ arguments: [String]) -> CommandResult? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(readEnd) }
        guard let pid = Self.spawn(executable, arguments, output: writeEnd) else {
            close(writeEnd)
            return nil
        }
        close(writeEnd)
        let deadline = MonotonicClock.now() + timeoutSeconds
        var output: [UInt8] = []
        var status: Int32?
        var drainUntil: Double?
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        reading: while true {
            status = status ?? Self.reap(pid)
            // A child the program left behind may hold the pipe open; its output is not worth waiting long for.
            if status != nil, drainUntil == nil { drainUntil = MonotonicClock.now() + 2 }
            let until = min(deadline, drainUntil ?? deadline)
            let now = MonotonicClock.now()
            if now >= until {
                if status == nil { timedOut = true }
                break reading
            }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(100, max(1, (until - now) * 1000))))
            if ready < 0, errno != EINTR { break reading }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count == 0 {
                // The program closed its output and is ending on its own: it is waited for, within its time, not stopped.
                status = status ?? Self.awaitExit(pid, until: deadline)
                timedOut = status == nil
                break reading
            }
            if count > 0, output.count < Self.outputLimit { output += buffer[0..<min(count, Self.outputLimit - output.count)] }
        }
        if timedOut || status == nil { status = Self.stop(pid, alreadyTimedOut: timedOut) }
        return CommandResult(status: status ?? -1, output: String(decoding: output, as: UTF8.self), timedOut: timedOut)
    }

    private static func spawn(_ executable: String, _ arguments: [String], output: Int32) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output, STDERR_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so that a timeout ends its children too; and signals as a fresh program has them.
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        return result == 0 ? pid : nil
    }

    /// The exit status once the program has ended, without waiting.
    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return exitStatus(status)
    }

    private static func exitStatus(_ status: Int32) -> Int32 {
        (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// The exit status once the program has ended, waiting for it until `deadline`.
    private static func awaitExit(_ pid: pid_t, until deadline: Double) -> Int32? {
        while true {
            if let status = reap(pid) { return status }
            guard MonotonicClock.now() < deadline else { return nil }
            usleep(10_000)
        }
    }

    /// SIGTERM, then SIGKILL, to the program's process group; -1 when even that did not end it in time.
    private static func stop(_ pid: pid_t, alreadyTimedOut: Bool) -> Int32? {
        for signal in [SIGTERM, SIGKILL] {
            kill(-pid, signal)
            if let status = awaitExit(pid, until: MonotonicClock.now() + 2) { return alreadyTimedOut ? -1 : status }
        }
        return nil
    }
}

public enum ExecutableSearch {
    /// Directories searched after PATH: udevadm lives in /usr/bin or /sbin, and sudo or a user's PATH may lack either.
    static let fallbackDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The full path of an executable named `name`, or nil when none is installed.
    public static func find(_ name: String, path: String? = getenv("PATH").map { String(cString: $0) }) -> String? {
        let directories = (path ?? "").split(separator: ":").map(String.init) + fallbackDirectories
        return directories.lazy.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }
}
