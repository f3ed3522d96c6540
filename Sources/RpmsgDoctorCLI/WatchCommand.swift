import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RpmsgDoctorCore

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the rpmsg bus as it changes: channels, control and endpoint devices, ttys, virtio devices, remote cores.",
        discussion: """
        Prints the state of every remote core, then one line per change, each tied to its virtio device, remote core and
        control device: a channel announced or destroyed, a ctrl added or removed, an endpoint device created or destroyed
        (and who holds it), an rpmsg tty added or removed, a virtio device gone or back, a remoteproc's state. A change
        that matches a known failure says so with its finding code: a channel gone with its virtio device (RD507), an
        endpoint left sending to an address that is gone (RD509), a channel back on another address (RD411), a remote
        back after a restart that announces nothing (RD410), a remoteproc that crashed (RD401).

        Listens to udev's events when systemd-udevd runs, to the kernel's otherwise, and says which. Never opens a
        device. Times are CLOCK_MONOTONIC seconds, the clock of dmesg's timestamps.

        Examples:
          rpmsg-doctor watch
          rpmsg-doctor watch --json --timeout 3600 > rpmsg-events.jsonl

        Exit codes: 0 stopped by SIGINT, SIGTERM, SIGHUP, --count or --timeout; 2 the events or the system could not be read;
        64 usage error.
        """
    )

    @Flag(help: "Print JSON Lines: one object per event.")
    var json = false

    @Option(help: ArgumentHelp("Stop after this many changes.", valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "SECONDS"))
    var timeout: Double?

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let timeout, !(timeout > 0) || !timeout.isFinite { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        let text = WatchText(style: Style(enabled: standardOutputWantsColor()))
        let encoder = JSONLineEncoder()
        do {
            _ = try Watch.run(WatchOptions(count: count, timeoutSeconds: timeout), fs: try RootedFileSystem()) { event in
                if json {
                    writeToStandardOutput(((try? encoder.line(event)) ?? "") + "\n")
                } else {
                    writeToStandardOutput(text.lines(event).document)
                }
            }
        } catch let failure as WatchFailure {
            printToStandardError("rpmsg-doctor: \(failure.description)")
            throw ExitCode.inputUnreadable
        } catch {
            printToStandardError("rpmsg-doctor: cannot read the system: \(String(describing: error))")
            throw ExitCode.inputUnreadable
        }
    }
}
