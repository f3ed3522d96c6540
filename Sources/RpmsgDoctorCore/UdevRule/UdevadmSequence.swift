/// Runs udevadm commands in order and stops at the first that fails: triggering after a failed reload
/// would only apply the old rules again.
struct UdevadmSequence {
    var lines: [String] = []
    var failedCommand: String?
    /// The commands that failed or never ran, to offer again.
    var pending: [[String]] = []

    /// - Parameter commands: whole command lines starting with "udevadm", as they are shown.
    static func run(_ commands: [[String]], udevadm: String, runner: CommandRunning) -> UdevadmSequence {
        var sequence = UdevadmSequence()
        for command in commands {
            guard sequence.failedCommand == nil else {
                sequence.pending.append(command)
                continue
            }
            let shown = ShellCommand(command).printed
            let result = runner.run(udevadm, Array(command.dropFirst()))
            if let result, result.succeeded {
                sequence.lines.append("Ran: \(shown)")
            } else {
                sequence.failedCommand = shown
                sequence.pending.append(command)
                sequence.lines.append("Failed: \(shown) " + explain(result))
                sequence.lines.append("The rules file is in place; udev applies it when systemd-udevd (re)starts, or at the next boot. Is systemd-udevd running?")
            }
        }
        return sequence
    }

    private static func explain(_ result: CommandResult?) -> String {
        guard let result else { return "(could not be started)" }
        let output = result.output.trimmingWhitespace()
        let status = result.timedOut ? "(killed: no answer within the timeout)" : "(exit status \(result.status))"
        return output.isEmpty ? status : "\(status): \(TerminalSafe.text(output))"
    }
}
