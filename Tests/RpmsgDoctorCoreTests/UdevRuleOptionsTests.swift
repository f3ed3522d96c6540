@testable import RpmsgDoctorCore
import Testing

@Suite struct UdevRuleOptionsTests {
    @Test(arguments: ["rpmsg", "dialout", "_rpmsg", "rp-msg_2", String(repeating: "g", count: 32)])
    func validGroupNamesAreKept(_ name: String) throws {
        #expect(try UdevRuleOptions(group: name).group == name)
    }

    @Test(arguments: ["", "Rpmsg", "1rpmsg", "-rpmsg", "rp msg", "rp\"msg", "rp$msg", "rpmsg$", "grüppe", "rp\nmsg",
                      String(repeating: "g", count: 33)])
    func invalidGroupNamesAreRefused(_ name: String) {
        let error = #expect(throws: UdevRuleInputError.self) { try UdevRuleOptions(group: name) }
        guard case .invalidGroup(let refused, _) = error else {
            Issue.record("expected invalidGroup, got \(String(describing: error))")
            return
        }
        #expect(refused == name)
        #expect(error.map { !$0.description.contains("\n") } == true, "the message shows control characters escaped")
    }

    @Test(arguments: [("0660", 0o660), ("660", 0o660), ("0640", 0o640), ("0600", 0o600), ("0000", 0), ("0661", 0o661)] as [(String, UInt32)])
    func octalModesUpTo0777AreAccepted(_ text: String, _ mode: UInt32) throws {
        let options = try UdevRuleOptions(mode: text)
        #expect(options.mode == mode)
        #expect(options.modeText.count == 4 && options.modeText.hasPrefix("0"))
    }

    @Test(arguments: ["", "66", "0888", "1777", "04660", "0o660", "0x1b0", "abc", "-660", " 0660", "00660"])
    func malformedOrSpecialBitModesAreRefused(_ text: String) {
        #expect(throws: UdevRuleInputError.invalidMode(text)) { try UdevRuleOptions(mode: text) }
    }

    @Test(arguments: ["0666", "0664", "0662", "0606", "0777"])
    func modesOpenToEveryoneNeedExplicitConsent(_ text: String) throws {
        #expect(throws: UdevRuleInputError.worldAccess(mode: text)) { try UdevRuleOptions(mode: text) }
        let allowed = try UdevRuleOptions(mode: text, allowWorldAccess: true)
        #expect(allowed.grantsWorldAccess)
    }

    @Test func worldAccessRefusalExplainsWhyReadingIsEnough() {
        let message = UdevRuleInputError.worldAccess(mode: "0664").description
        #expect(message.contains("read-only open of rpmsg_ctrlN is enough to create endpoints"))
        #expect(message.contains("--allow-world-writable"))
    }

    @Test(arguments: ["rpmsg-raw", "rpmsg-openamp-demo-channel", "rpmsg-virtual-tty-channel-1", "ti.ipc4.ping-pong",
                      "rpmsg_ctrl", "a:b@c+d#e=f,g", String(repeating: "c", count: 31)])
    func safeChannelNamesAreKept(_ name: String) throws {
        #expect(try UdevRuleOptions(channel: name).channel == name)
    }

    @Test(arguments: [
        ("a\"b", "double quote"), ("a\\b", "backslash"), ("a\nb", "control character"), ("a\u{1}b", "control character"),
        ("a\u{7F}", "control character"), ("x$y", "substitution"), ("%s{name}", "substitution"), ("ünï", "not ASCII"),
        ("\u{202E}txt", "not ASCII"), ("a b", "space"), ("rpmsg-*", "pattern"), ("a|b", "pattern"), ("[ab]", "pattern"),
        ("a/b", "only letters"), ("a'b", "only letters"), ("", "empty"), (String(repeating: "c", count: 32), "at most 31"),
    ])
    func unsafeChannelNamesAreRefusedWithTheReason(_ name: String, _ reason: String) {
        let error = #expect(throws: UdevRuleInputError.self) { try UdevRuleOptions(channel: name) }
        guard case .unsafeChannel(let refused, _) = error, let message = error?.description else {
            Issue.record("expected unsafeChannel, got \(String(describing: error))")
            return
        }
        #expect(refused == name)
        #expect(message.contains(reason))
        #expect(!message.contains("\n") && !message.contains("\u{202E}") && !message.contains("\u{1}"))
    }

    @Test(arguments: ["remoteproc0", "remoteproc12"])
    func remoteProcessorNamesAreKept(_ name: String) throws {
        #expect(try UdevRuleOptions(remoteProcessor: name).remoteProcessor == name)
    }

    @Test(arguments: ["", "remoteproc", "rproc0", "REMOTEPROC0", "remoteproc-1", "remoteproc0 ", "remoteproc0/..", "remoteproc*"])
    func otherRemoteProcessorNamesAreRefused(_ name: String) {
        #expect(throws: UdevRuleInputError.invalidRemoteProcessor(name)) { try UdevRuleOptions(remoteProcessor: name) }
    }
}
