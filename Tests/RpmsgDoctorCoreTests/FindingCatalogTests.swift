import Foundation
import Testing
@testable import RpmsgDoctorCore

/// The catalog is the one source of a code's title, severities and source; the pages and both findings tables
/// must say the same, and the binary must carry the pages as they are in docs/findings.
@Suite struct FindingCatalogTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The cells of each row of the first Markdown table after `header`, keyed by the code in its first cell.
    static func table(in text: String, after header: String) -> [String: [String]] {
        guard let start = text.range(of: header) else { return [:] }
        var rows: [String: [String]] = [:]
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2) {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = cells.first, let code = first.range(of: #"RD[0-9]{3}"#, options: .regularExpression) else { continue }
            rows[String(first[code])] = cells
        }
        return rows
    }

    @Test(arguments: FindingCode.allCases)
    func thePageStartsWithTheCodeAndTitle(code: FindingCode) throws {
        let page = try Self.read(code.page)
        #expect(page.hasPrefix("# \(code.rawValue): \(code.entry.title)\n"))
    }

    @Test(arguments: FindingCode.allCases)
    func theBinaryCarriesThePageAsItIs(code: FindingCode) throws {
        #expect(code.pageText == (try Self.read(code.page)))
    }

    @Test func theFindingsIndexAgreesWithTheCatalog() throws {
        let rows = Self.table(in: try Self.read("docs/findings/README.md"), after: "| Code | Severity | Emitted by | Title | Failure mode |")
        #expect(Set(rows.keys) == Set(FindingCode.allCases.map(\.rawValue)))
        for code in FindingCode.allCases {
            let cells = try #require(rows[code.rawValue])
            let entry = code.entry
            let severity = entry.severity.varies.map { "varies: " + $0 } ?? entry.severity.usual.rawValue
            #expect(cells[1] == severity, "\(code.rawValue) severity")
            #expect(cells[2] == entry.emittedBy, "\(code.rawValue) emitted by")
            #expect(cells[3] == entry.title, "\(code.rawValue) title")
        }
    }

    @Test func theReadmeTableAgreesWithTheCatalog() throws {
        let rows = Self.table(in: try Self.read("README.md"), after: "| code | severity | title |")
        #expect(Set(rows.keys) == Set(FindingCode.allCases.map(\.rawValue)))
        for code in FindingCode.allCases {
            let cells = try #require(rows[code.rawValue])
            #expect(cells == [code.rawValue, code.entry.severity.text, code.entry.title])
        }
    }

    @Test func aVaryingSeverityNamesEveryOneItAllows() {
        for code in FindingCode.allCases {
            let policy = code.entry.severity
            #expect(Set(policy.allowed).count == policy.allowed.count)
            if let reason = policy.varies {
                #expect(policy.allowed.count > 1, "\(code.rawValue) varies but allows one severity")
                for severity in policy.allowed { #expect(reason.contains(severity.rawValue), "\(code.rawValue): \(severity) not named") }
            } else {
                #expect(policy.allowed.count == 1)
            }
        }
    }

    @Test func codesParseInEitherCase() {
        #expect(FindingCode(code: "rd101") == .wrongControl)
        #expect(FindingCode(code: "RD999") == nil)
        #expect(FindingCode(code: "") == nil)
    }

    @Test func everyRuleRaisesOnlyScanCodes() {
        for rule in RuleRegistry.rules {
            for code in rule.codes { #expect(code.entry.isScanCode, "\(type(of: rule)) raises \(code.rawValue), which is not a scan code") }
        }
        let raisedByScan = Set(RuleRegistry.rules.flatMap(\.codes))
        let scanCodes = Set(FindingCode.allCases.filter { $0.entry.isScanCode })
        #expect(raisedByScan == scanCodes, "scan codes no rule raises: \(scanCodes.subtracting(raisedByScan).map(\.rawValue))")
    }
}
