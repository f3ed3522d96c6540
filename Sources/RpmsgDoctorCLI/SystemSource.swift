import ArgumentParser
import RpmsgDoctorCore

/// Where the system is read from: live, below a root directory, or a saved snapshot.
struct SystemSource: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the system below DIR instead of / (a copy of /sys, /dev, /proc, /etc, /run).", valueName: "DIR"))
    var root: String?

    @Option(name: .long, help: ArgumentHelp("Diagnose a snapshot saved by `rpmsg-doctor snapshot` (- reads standard input).", valueName: "FILE"))
    var from: String?

    func validate() throws {
        if root != nil && from != nil { throw ValidationError("--root and --from cannot be used together") }
    }

    /// How the report names what it read, when that is not the snapshot's own source.
    var origin: String? { from.map { "snapshot \($0)" } }

    func read() throws -> Snapshot {
        if let from {
            do {
                return try SnapshotFile.load(from)
            } catch {
                throw InputError(message: error.description)
            }
        }
        return try Self.discover(root: root ?? "/")
    }

    static func discover(root: String) throws -> Snapshot {
        do {
            return try Discovery.snapshot(root: root)
        } catch {
            throw InputError(message: "cannot read \(root): \(error)")
        }
    }
}

struct InputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning unreadable input into exit code 2 with a one-line message.
    func reportingInputErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as InputError {
            printToStandardError("rpmsg-doctor: \(error.message)")
            throw ExitCode.inputUnreadable
        }
    }
}
