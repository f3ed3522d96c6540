import ArgumentParser

extension ExitCode {
    static let findingsWithErrors = ExitCode(1)
    static let inputUnreadable = ExitCode(2)
}
