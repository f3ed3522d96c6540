import Foundation
import Testing
@testable import RpmsgDoctorCore

@Suite struct RenderTests {
    @Test func terminalSafeNeutralisesControlsAndEscapes() {
        #expect(TerminalSafe.text("a\nb") == "a\\nb")
        #expect(TerminalSafe.text("\u{1B}[31mred") == "\\x1b[31mred")
        #expect(TerminalSafe.text("bell\u{07}\u{7F}\u{9B}") == "bell\\x07\\x7f\\x9b")
        #expect(TerminalSafe.text("evil\u{202E}txt") == "evil\\u{202e}txt")
        #expect(TerminalSafe.text("quote\"'ok") == "quote\"'ok")
    }

    @Test func hostileChannelNamesNeverReachTheTerminalRaw() {
        var snapshot = SnapshotBuilders.healthy()
        let hostile = "x\"\n\u{1B}]0;pwned\u{07}\u{1B}[2J"
        snapshot.channels.append(SnapshotBuilders.channel(hostile, dst: 77, on: 0))
        let text = TextReport(ScanReport(snapshot: snapshot), style: Style(enabled: false)).render()
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
        #expect(text.contains("x\"\\n\\x1b]0;pwned\\x07\\x1b[2J"))
    }

    @Test func textReportShowsTreeFindingsAndTotals() {
        let text = TextReport(ScanReport(snapshot: SnapshotBuilders.canonical()), style: Style(enabled: false)).render()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("    ctrl      /dev/rpmsg_ctrl1  crw------- root:root") })
        #expect(lines.contains { $0.contains("channel   \"rpmsg-openamp-demo-channel\"") && $0.contains("dst=0x1e") })
        #expect(lines.contains { $0.hasPrefix("error[RD104]") })
        #expect(lines.contains("  see: rpmsg-doctor explain RD104"))
        #expect(lines.last?.hasPrefix("2 errors,") == true)
        #expect(!text.contains("\u{1B}["))
    }

    @Test func colourOnlyWhenEnabled() {
        let text = TextReport(ScanReport(snapshot: SnapshotBuilders.canonical()), style: Style(enabled: true)).render()
        #expect(text.contains("\u{1B}[1;31merror\u{1B}[0m[RD104]"))
    }

    @Test func jsonReportHasTheDocumentedShape() throws {
        let json = try JSONDocument.encode(ScanReport(snapshot: SnapshotBuilders.canonical(), intent: Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30))))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == Snapshot.currentSchemaVersion)
        #expect(object["inventory"] is [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let wrong = try #require(findings.first { $0["id"] as? String == "RD101" })
        #expect(wrong["severity"] as? String == "error")
        #expect(wrong["summary"] is String)
        #expect((wrong["evidence"] as? [String])?.isEmpty == false)
        #expect(wrong["fix"] is String)
        #expect(wrong["page"] as? String == "docs/findings/RD101.md")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["errors"] == findings.filter { $0["severity"] as? String == "error" }.count)
    }
}

@Suite struct SnapshotFileTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rpmsg-doctor-\(UUID().uuidString)-\(name)").path
    }

    @Test func snapshotSurvivesASaveAndLoad() throws {
        let path = temporaryPath("snapshot.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var snapshot = SnapshotBuilders.canonical()
        snapshot.channels[0].name = "odd\n\u{1B}name\\xff"
        try SnapshotFile.save(snapshot, to: path)
        #expect(try SnapshotFile.load(path) == snapshot)
    }

    @Test func newerSchemaIsRefusedWithAClearMessage() throws {
        let path = temporaryPath("future.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"schemaVersion": 99}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SnapshotFileError.self) { try SnapshotFile.load(path) }
        do {
            _ = try SnapshotFile.load(path)
        } catch {
            #expect(error.description.contains("schema version 99"))
        }
    }

    @Test(arguments: ["not json", "{}", #"{"schemaVersion": 1, "channels": 5}"#])
    func malformedSnapshotsAreRefused(content: String) throws {
        let path = temporaryPath("bad.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SnapshotFileError.self) { try SnapshotFile.load(path) }
    }

    @Test func missingSnapshotFileIsUnreadable() {
        #expect(throws: SnapshotFileError.self) { try SnapshotFile.load("/nonexistent/snapshot.json") }
    }
}

@Suite struct AddressTests {
    @Test(arguments: [("0x1e", UInt32(30)), ("30", 30), ("-1", 0xFFFF_FFFF), (" 0x35\n", 53), ("-2", 0xFFFF_FFFE)])
    func kernelSpellingsParse(text: String, value: UInt32) {
        #expect(RpmsgAddress(parsing: text)?.value == value)
    }

    @Test(arguments: ["", "garbage", "0x", "0xZZ", "99999999999"])
    func malformedAddressesDoNotParse(text: String) {
        #expect(RpmsgAddress(parsing: text) == nil)
    }

    @Test func invalidUTF8IsShownAsHexBytes() {
        #expect(DisplayText.decode([0x61, 0xFF, 0xFE, 0x62]) == "a\\xff\\xfeb")
        #expect(DisplayText.decode(Array("é".utf8)) == "é")
        #expect(DisplayText.decode([0xC3]) == "\\xc3")
    }
}

/// Every name from the system reaches the terminal neutralised, wherever the renderers put it.
@Suite struct SafeTextTests {
    static let forged = "x\n\nerror[RD999] forged\u{1B}[2J\u{202E}"

    @Test func interpolatedValuesAreNeutralisedAndLiteralsKept() {
        let name = "a\u{1B}[31mred\nline"
        let text: SafeText = "name \(name)\tend"
        #expect(text.text == "name a\\x1b[31mred\\nline\tend")
        #expect(SafeText(name).text == "a\\x1b[31mred\\nline")
    }

    @Test func noNameInTheInventoryOrFindingsCanForgeALine() {
        var snapshot = SnapshotBuilders.canonical()
        snapshot.source = Self.forged
        snapshot.system.kernelRelease = Self.forged
        snapshot.user.userName = Self.forged
        snapshot.controlDevices[0].node.path += Self.forged
        snapshot.controlDevices[0].node.owner = Self.forged
        snapshot.channels[0].name += Self.forged
        snapshot.virtioDevices[0].name += Self.forged
        snapshot.virtioDevices[1].transportParent = Self.forged
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0" + Self.forged, sysfsPath: "/sys/x", processorName: Self.forged,
                                                     state: "crashed" + Self.forged, firmware: Self.forged)]
        snapshot.endpointDevices[0].endpointName = Self.forged
        for style in [Style(enabled: false), Style(enabled: true)] {
            let text = TextReport(ScanReport(snapshot: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl0" + Self.forged, dst: RpmsgAddress(30))), style: style).render()
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("error[RD999]") })
            #expect(!text.contains("\u{1B}[2J") && !text.contains("\u{202E}"))
            #expect(text.contains("\\nerror[RD999] forged\\x1b[2J\\u{202e}"))
        }
    }
}
