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

    @Option(name: .customLong("ctrl"), help: ArgumentHelp("The control device your application opens, e.g. /dev/rpmsg_ctrl0.", valueName: "DEVICE"))
    var control: String?

    @Option(help: ArgumentHelp("The remote address your application sends to (0x1e or 30).", valueName: "ADDR"))
    var dst: AddressArgument?

    @Option(help: ArgumentHelp("The local address your application asks for.", valueName: "ADDR"))
    var src: AddressArgument?

    @Option(help: ArgumentHelp("The endpoint name your application gives RPMSG_CREATE_EPT_IOCTL.", valueName: "NAME"))
    var name: String?

    @Option(help: ArgumentHelp("A channel the remote announces; scan says which control device reaches it.", valueName: "NAME"))
    var service: String?

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        try reportingInputErrors {
            let intent = Intent(control: control, dst: dst?.address, src: src?.address, name: name, service: service)
            let report = ScanReport(snapshot: try source.read(), intent: intent)
            if json {
                print(try JSONOutput.encode(report))
            } else {
                print(TextReport(report, style: Style(enabled: standardOutputWantsColor())).render(), terminator: "")
            }
            if report.hasErrors { throw ExitCode.findingsWithErrors }
        }
    }
}

struct AddressArgument: ExpressibleByArgument {
    var address: RpmsgAddress

    init?(argument: String) {
        if ["any", "ANY", "-1"].contains(argument) {
            address = .any
        } else if let parsed = RpmsgAddress(parsing: argument), !argument.hasPrefix("-") {
            address = parsed
        } else {
            return nil
        }
    }
}
