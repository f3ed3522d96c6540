import ArgumentParser
import RpmsgDoctorCore

struct UdevRuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udev-rule",
        abstract: "Print or install a udev rules file that gives a group access to the rpmsg devices, or print the flags a container needs.",
        discussion: """
        The rules give the group (and only it) access to /dev/rpmsg_ctrlN, /dev/rpmsgN and /dev/ttyRPMSGN.
        Channel names given to --channel are checked: anything udev would not read back exactly is refused.
        --root DIR: with --install, write into the system below DIR (an image) and run nothing; with --container,
        read DIR's /proc/devices. --from FILE: with --container, read the majors from a saved snapshot.

        Examples:
          rpmsg-doctor udev-rule
          rpmsg-doctor udev-rule --group dialout --symlinks
          rpmsg-doctor udev-rule --remoteproc remoteproc0 --channel rpmsg-raw
          sudo rpmsg-doctor udev-rule --install
          rpmsg-doctor udev-rule --install --dry-run
          rpmsg-doctor udev-rule --install --root /mnt/image
          rpmsg-doctor udev-rule --container docker
          rpmsg-doctor udev-rule --container podman --from board.json
        """
    )

    @Option(help: ArgumentHelp("The group that may open the devices.", valueName: "NAME"))
    var group = UdevRuleOptions.defaultGroup

    @Option(help: ArgumentHelp("The devices' mode, octal, at most 0777.", valueName: "MODE"))
    var mode = "0660"

    @Flag(help: "Accept a mode that lets users outside the group open the devices (0666, 0664, ...).")
    var allowWorldWritable = false

    @Flag(help: "Add links /dev/rpmsg/by-name/NAME (and NAME.DST) for endpoint devices.")
    var symlinks = false

    @Option(name: .customLong("remoteproc"), help: ArgumentHelp("Only devices below this remote processor.", valueName: "remoteprocN"))
    var remoteProcessor: String?

    @Option(help: ArgumentHelp("Only devices of the channel or endpoint with this name.", valueName: "NAME"))
    var channel: String?

    @Flag(help: "Write the rules to \(RpmsgUdevRules.installPath) (below --root DIR if given) and make udev apply them.")
    var install = false

    @Flag(help: "With --install: show what it would do, and do nothing.")
    var dryRun = false

    @Flag(help: "With --install: replace a rules file at that path that rpmsg-doctor did not write.")
    var force = false

    @Option(help: ArgumentHelp("Print the flags a docker or podman container needs, with this system's rpmsg majors.", valueName: "ENGINE"))
    var container: ContainerEngine?

    @OptionGroup var source: SystemSource

    func validate() throws {
        if dryRun && !install { throw ValidationError("--dry-run goes with --install") }
        if force && !install { throw ValidationError("--force goes with --install") }
        if install && container != nil { throw ValidationError("--install and --container cannot be used together") }
        if source.from != nil && container == nil { throw ValidationError("--from goes with --container") }
        if source.root != nil && !install && container == nil { throw ValidationError("--root goes with --install or --container") }
        _ = try options()
    }

    func run() throws {
        let options = try options()
        if options.grantsWorldAccess {
            printToStandardError("rpmsg-doctor: warning: mode \(options.modeText) lets every user of this system open the rpmsg devices")
        }
        if let container {
            try printContainerAdvice(container, group: options.group)
        } else if install {
            try runInstall(options)
        } else {
            print(RpmsgUdevRules.text(options), terminator: "")
        }
    }

    private func options() throws -> UdevRuleOptions {
        do {
            return try UdevRuleOptions(group: group, mode: mode, allowWorldAccess: allowWorldWritable, symlinks: symlinks,
                                       remoteProcessor: remoteProcessor, channel: channel)
        } catch {
            throw ValidationError(error.description)
        }
    }

    private func printContainerAdvice(_ engine: ContainerEngine, group: String) throws {
        try reportingInputErrors {
            do {
                print(try ContainerAdvice.text(engine: engine, snapshot: try source.read(), group: group), terminator: "")
            } catch let error as ContainerAdviceError {
                printToStandardError("rpmsg-doctor: \(error)")
                throw ExitCode.findingsWithErrors
            }
        }
    }

    private func runInstall(_ options: UdevRuleOptions) throws {
        let installation = UdevRuleInstallation(options: options, root: source.root ?? "/", force: force, context: .current())
        if dryRun {
            print(installation.dryRun(), terminator: "")
            return
        }
        try reportingInputErrors {
            do {
                let report = try installation.perform(runner: ProcessRunner())
                print(report.text, terminator: "")
                if let failed = report.failedCommand { throw InputError(message: "\(failed) failed") }
            } catch let error as InstallError {
                throw InputError(message: error.description)
            }
        }
    }
}

extension ContainerEngine: ExpressibleByArgument {}
