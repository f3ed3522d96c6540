import ArgumentParser
import RpmsgDoctorCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the page that explains a finding code, or list every code.",
        discussion: """
        Examples:
          rpmsg-doctor explain RD101
          rpmsg-doctor explain          # every code: severity, who raises it, title
        """
    )

    @Argument(help: ArgumentHelp("A finding code such as RD101.", valueName: "CODE"))
    var code: String?

    func run() throws {
        guard let code else {
            print(CatalogListing.lines().joined(separator: "\n"))
            return
        }
        guard let finding = FindingCode(code: code), let page = finding.pageText else {
            printToStandardError("rpmsg-doctor: no finding code \(code); the codes are:")
            for line in CatalogListing.lines() { printToStandardError("\(line)") }
            throw ExitCode(64)
        }
        print(page, terminator: page.hasSuffix("\n") ? "" : "\n")
    }
}
