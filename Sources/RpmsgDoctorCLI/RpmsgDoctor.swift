import ArgumentParser
import RpmsgDoctorCore

@main
struct RpmsgDoctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpmsg-doctor",
        abstract: "Find out why Linux cannot talk to a remote core over RPMsg.",
        discussion: """
        Exit codes: 0 no error found, 1 errors found, 2 input could not be read (--root, --from, output file), 64 usage error.
        Every finding has a code (RD101, ...): `rpmsg-doctor explain RD101` explains it, `rpmsg-doctor explain` lists them.
        """,
        version: ToolVersion.number,
        subcommands: [Scan.self, ProbeCommand.self, WatchCommand.self, TakeSnapshot.self, UdevRuleCommand.self, CollectorCommand.self, Explain.self],
        defaultSubcommand: Scan.self
    )
}
