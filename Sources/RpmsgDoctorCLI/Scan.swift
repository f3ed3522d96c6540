import ArgumentParser
import RpmsgDoctorCore

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map every rpmsg control device to its virtio device, remote core and channels, and explain what is wrong.",
        discussion: """
        Examples:
          rpmsg-doctor scan
          rpmsg-doctor scan --service rpmsg-openamp-demo-channel
          rpmsg-doctor scan --ctrl /dev/rpmsg_ctrl0 --dst 0x1e --src 0x2
          rpmsg-doctor scan --json > report.json
          rpmsg-doctor scan --from snapshot.json
        """
    )

    @OptionGroup var source: SystemSource

    @OptionGroup var endpoint: EndpointArguments

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        try reportingInputErrors {
            let report = ScanReport(snapshot: try source.read(), intent: endpoint.intent, origin: source.origin)
            if json {
                print(try JSONDocument.encode(report))
            } else {
                print(TextReport(report, style: Style(enabled: standardOutputWantsColor())).render(), terminator: "")
            }
            if report.hasErrors { throw ExitCode.findingsWithErrors }
        }
    }
}
