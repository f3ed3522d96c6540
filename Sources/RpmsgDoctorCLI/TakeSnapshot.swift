import ArgumentParser
import RpmsgDoctorCore

struct TakeSnapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Save everything scan reads as one JSON document, to attach to a support request.",
        discussion: """
        Examples:
          rpmsg-doctor snapshot -o board.json
          ssh board rpmsg-doctor snapshot | rpmsg-doctor scan --from -
          rpmsg-doctor scan --from board.json
        """
    )

    @OptionGroup var source: SystemSource

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the snapshot to FILE, replacing a regular file in one step; - is standard output (the default).", valueName: "FILE"))
    var output = "-"

    func run() throws {
        try reportingInputErrors {
            let snapshot = try source.read()
            do throws(SnapshotFileError) {
                try SnapshotFile.save(snapshot, to: output)
            } catch {
                throw InputError(message: error.description)
            }
        }
    }
}
