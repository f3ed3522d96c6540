#if canImport(Glibc)
import Glibc
#endif

/// Runs `rpmsg-doctor scan --root DIR` as a child process, output to /dev/null, and measures what a user
/// feels: wall time from spawn to exit, and the child's peak resident memory.
struct CommandLineScan {
    var seconds: Double
    var maxResidentKiB: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func measure(cli: String, root: String) throws -> CommandLineScan {
        let argv = [cli, "scan", "--root", root]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        var arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }

        let start = Clock.seconds()
        var pid = pid_t()
        let spawnError = posix_spawn(&pid, cli, &actions, nil, &arguments, environ)
        guard spawnError == 0 else { throw Failure(description: "cannot run \(cli): \(String(cString: strerror(spawnError)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Clock.seconds() - start

        // scan exits 1 when it finds errors (the canonical board has some); 2 and above mean it could not scan.
        let exited = status & 0x7F == 0
        let exitCode = (status >> 8) & 0xFF
        guard exited, exitCode <= 1 else {
            throw Failure(description: "\(argv.joined(separator: " ")) failed (wait status \(status))")
        }
        return CommandLineScan(seconds: seconds, maxResidentKiB: usage.ru_maxrss)
    }

    /// The median wall time and the largest peak memory over `runs` scans.
    static func median(cli: String, root: String, runs: Int) throws -> CommandLineScan {
        let scans = try (0..<runs).map { _ in try measure(cli: cli, root: root) }
        return CommandLineScan(seconds: scans.map(\.seconds).median, maxResidentKiB: scans.map(\.maxResidentKiB).max()!)
    }
}
