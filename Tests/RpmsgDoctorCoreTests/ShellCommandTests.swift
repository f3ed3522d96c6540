import Foundation
import Testing
@testable import RpmsgDoctorCore

/// Commands are printed for people to paste as root: each word must reach the program exactly as it was, whatever
/// a name from the system holds.
@Suite struct ShellCommandTests {
    static let hostile = [
        "virtio0.a .profile b;id.-1.31", "virtio1.rpmsg-raw'$(id)'.-1.50", "$(touch /tmp/x)", "`id`", "a|b&c>d<e", "it's",
        "'", "''", "\\", "*", "~root", "-n", "", " ", "#comment", "x\"y", "ünïcode-名前", "%s%n", "!!",
    ]

    /// Runs the command through /bin/sh as `printf '%s\0' WORDS...` and returns the words the program received.
    static func wordsAfterTheShell(_ words: [String]) throws -> [String] {
        let text = try #require(ShellCommand(["printf", "%s\\0"] + words).text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", text]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: hostile)
    func everyWordReachesTheProgramAsItWas(word: String) throws {
        #expect(try Self.wordsAfterTheShell([word, "after"]) == [word, "after"])
    }

    @Test func plainWordsStayBare() {
        #expect(ShellCommand("sudo", "modprobe", "rpmsg_char").text == "sudo modprobe rpmsg_char")
        #expect(ShellCommand("echo", "rpmsg_chrdev").pipe("sudo", "tee", "/sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024/driver_override").text
                == "echo rpmsg_chrdev | sudo tee /sys/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024/driver_override")
        #expect(ShellCommand("udevadm", "test", "/sys/class/rpmsg/rpmsg0").withErrorsOnOutput().pipe("tail").text
                == "udevadm test /sys/class/rpmsg/rpmsg0 2>&1 | tail")
    }

    @Test(arguments: ["new\nline", "esc\u{1B}[31m", "nul\u{0}", "bidi\u{202E}txt", "del\u{7F}"])
    func aWordWithControlCharactersWithholdsTheCommand(word: String) {
        let command = ShellCommand("echo", word)
        #expect(command.text == nil)
        #expect(command.printed == ShellCommand.withheld)
    }
}
