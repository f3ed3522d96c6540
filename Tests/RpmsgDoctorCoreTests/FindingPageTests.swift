import Foundation
import Testing
@testable import RpmsgDoctorCore

/// Every code a finding can carry has its page, and the index lists it: a finding that points nowhere is a bug.
@Suite struct FindingPageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: FindingCode.allCases)
    func everyCodeHasItsPage(code: FindingCode) throws {
        let page = try String(contentsOf: Self.repository.appendingPathComponent(code.page), encoding: .utf8)
        #expect(page.hasPrefix("# \(code.rawValue)"), "the page starts with its code")
    }

    @Test func theIndexListsEveryCode() throws {
        let index = try String(contentsOf: Self.repository.appendingPathComponent("docs/findings/README.md"), encoding: .utf8)
        let missing = FindingCode.allCases.filter { !index.contains("RD\($0.rawValue.dropFirst(2)).md") }
        #expect(missing.isEmpty, "not in docs/findings/README.md: \(missing.map(\.rawValue))")
    }

    @Test func codesAreUnique() {
        #expect(Set(FindingCode.allCases.map(\.rawValue)).count == FindingCode.allCases.count)
    }
}
