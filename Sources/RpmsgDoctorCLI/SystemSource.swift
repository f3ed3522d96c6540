import ArgumentParser
import RpmsgDoctorCore

/// Where the system is read from: live, below a root directory, a saved snapshot, or a collector archive.
struct SystemSource: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the system below DIR instead of / (a copy of /sys, /dev, /proc, /etc, /run).", valueName: "DIR"))
    var root: String?

    @Option(name: .long, help: ArgumentHelp("Diagnose a snapshot saved by `rpmsg-doctor snapshot` (- reads standard input), or an archive written by rpmsg-collect.sh.", valueName: "FILE"))
    var from: String?

    func validate() throws {
        if root != nil && from != nil { throw ValidationError("--root and --from cannot be used together") }
    }

    /// How the report names what it read, when that is not the snapshot's own source.
    var origin: String? {
        from.map { CollectorArchive.isArchive($0) ? "archive \($0)" : "snapshot \($0)" }
    }

    func read() throws -> Snapshot {
        guard let from else { return try Self.discover(root: root ?? "/") }
        if CollectorArchive.isArchive(from) {
            let extracted: ExtractedArchive
            do {
                extracted = try CollectorArchive.extract(from)
            } catch {
                throw InputError(message: error.description)
            }
            return try withExtendedLifetime(extracted) { try Self.discover(root: extracted.root) }
        }
        do {
            return try SnapshotFile.load(from)
        } catch {
            throw InputError(message: error.description)
        }
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
