import ArgumentParser
import RpmsgDoctorCore

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Send messages through the real rpmsg devices and say why answers do not come back.",
        discussion: """
        The probe creates its own endpoint (and always destroys it, also on Ctrl-C), sends --count messages one at a
        time, waits up to --timeout for each answer, and checks them. With --expect echo each message carries a
        sequence number and a CRC-32, so loss, late answers, duplicates, truncation and corruption are counted.
        When no answer comes at all, it sends up to 300 small messages more to tell a remote that is silent from one
        that stopped consuming. Through an rpmsg tty (--device /dev/ttyRPMSGn, or --service for a channel bound to
        rpmsg_tty or imx_rpmsg_tty) it sets raw mode and restores the tty's settings on every way out; when an
        endpoint gets no answer, it tries the same channel's tty to tell a dead remote from a bad endpoint (RD510).

        Examples:
          rpmsg-doctor probe --service rpmsg-openamp-demo-channel
          rpmsg-doctor probe --ctrl /dev/rpmsg_ctrl0 --dst 0x1e --src 0x2 --name rpmsg-openamp-demo-channel
          rpmsg-doctor probe --device /dev/rpmsg0 --count 1000 --size 496
          rpmsg-doctor probe --device /dev/ttyRPMSG30
          rpmsg-doctor probe --service my-service --expect reply --payload 'status?'

        Exit codes: 0 every step passed, 1 a step failed, 2 the system could not be read, 64 usage error,
        130, 143 or 129 interrupted by SIGINT, SIGTERM or SIGHUP (after cleaning up).
        """
    )

    @OptionGroup var endpoint: EndpointArguments

    @Option(help: ArgumentHelp("An existing endpoint device (e.g. one rpmsg-raw made) or an rpmsg tty (/dev/ttyRPMSGn).", valueName: "DEVICE"))
    var device: String?

    @Option(help: "How many messages to send.")
    var count = 5

    @Option(help: ArgumentHelp("Bytes per message, header included (16 to 496).", valueName: "BYTES"))
    var size = 64

    @Option(help: ArgumentHelp("Send this text, or the content of @FILE, as the payload.", valueName: "TEXT|@FILE"))
    var payload: String?

    @Option(help: ArgumentHelp("How long to wait for each answer, in milliseconds.", valueName: "MS"))
    var timeout = 1000

    @Option(help: ArgumentHelp("Pause between messages, in milliseconds.", valueName: "MS"))
    var interval = 0

    @Option(help: "What the remote does with a message: echo (sends it back), reply (answers with other data), none.")
    var expect: ProbeOptions.Expectation = .echo

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        let targets = [endpoint.service != nil, endpoint.control != nil || endpoint.dst != nil, device != nil].filter { $0 }.count
        guard targets == 1 else { throw ValidationError("name exactly one target: --service NAME, --ctrl DEVICE --dst ADDR, or --device DEVICE") }
        if (endpoint.control == nil) != (endpoint.dst == nil) { throw ValidationError("--ctrl and --dst go together") }
        if device != nil && (endpoint.src != nil || endpoint.name != nil) { throw ValidationError("--src and --name apply to endpoints the probe creates, not to --device") }
        if let problem = try makeOptions().validationError() { throw ValidationError(problem) }
    }

    func makeOptions() throws -> ProbeOptions {
        let target: ProbeOptions.Target
        if let service = endpoint.service {
            target = .service(service)
        } else if let control = endpoint.control, let dst = endpoint.dst {
            target = .control(path: control, dst: dst.address)
        } else {
            target = .device(path: device ?? "")
        }
        return ProbeOptions(target: target, src: endpoint.src?.address ?? .any, name: endpoint.name, count: count, size: size,
                            payload: try payload.map(Self.payloadBytes), timeoutMilliseconds: timeout,
                            intervalMilliseconds: interval, expectation: expect)
    }

    private static func payloadBytes(_ argument: String) throws -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        let path = String(argument.dropFirst())
        do {
            return try BoundedFile.read(path, limit: ProbeOptions.largestPayload)
        } catch {
            throw ValidationError("cannot read payload file \(TerminalSafe.text(path)): \(error)")
        }
    }

    func run() throws {
        let report: ProbeReport = try reportingInputErrors {
            let snapshot = try SystemSource.discover(root: "/")
            let counter = LiveCounter(total: count)
            let report = Probe.run(try makeOptions(), snapshot: snapshot, fs: try RootedFileSystem(), progress: counter?.update)
            counter?.finish()
            return report
        }
        if json {
            print(try JSONDocument.encode(report))
        } else {
            print(ProbeText(report, style: Style(enabled: standardOutputWantsColor())).render(), terminator: "")
        }
        if let interrupted = report.interrupted { throw ExitCode(interrupted.exitStatus) }
        if !report.passed { throw ExitCode.findingsWithErrors }
    }
}

extension ProbeOptions.Expectation: ExpressibleByArgument {}
