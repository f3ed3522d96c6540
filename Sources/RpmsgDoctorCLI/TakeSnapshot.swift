import ArgumentParser
import RpmsgDoctorCore

struct TakeSnapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Save everything scan reads as one JSON document, to attach to a support request.",
        discussion: """
        Examples:
          rpmsg-doctor snapshot -o board.json
          rpmsg-doctor scan --from board.json
        """
    )

    @OptionGroup var source: SystemSource

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the snapshot to FILE (default: standard output).", valueName: "FILE"))
    var output: String?

    func run() throws {
        try reportingInputErrors {
            let snapshot = try source.read()
            if let output {
                do {
                    try SnapshotFile.save(snapshot, to: output)
                } catch let error as SnapshotFileError {
                    throw InputError(message: error.description)
                }
            } else {
                print(try JSONDocument.encode(snapshot))
            }
        }
    }
}
