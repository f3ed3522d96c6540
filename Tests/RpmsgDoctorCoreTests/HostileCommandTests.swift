import Testing
@testable import RpmsgDoctorCore

/// Every command a finding prints, fed names from a hostile board: nothing in them may be shell syntax.
@Suite struct HostileCommandTests {
    static let payload = "a b';$(id)`id`|x&y>z\\"

    /// The same system with every name the kernel or firmware chooses replaced by one that tries to escape.
    static func hostile(_ snapshot: Snapshot) -> Snapshot {
        var snapshot = snapshot
        let bad = payload
        snapshot.channels = snapshot.channels.map { channel in
            var channel = channel
            channel.name += bad
            channel.deviceName += bad
            channel.sysfsPath += bad
            return channel
        }
        snapshot.controlDevices = snapshot.controlDevices.map { control in
            var control = control
            control.sysfsPath += bad
            control.node.path += bad
            return control
        }
        snapshot.endpointDevices = snapshot.endpointDevices.map { endpoint in
            var endpoint = endpoint
            endpoint.sysfsPath += bad
            endpoint.node.path += bad
            endpoint.holders = endpoint.holders.map { ProcessReference(pid: $0.pid, command: $0.command + bad) }
            return endpoint
        }
        snapshot.remoteProcessors = snapshot.remoteProcessors.map { remote in
            var remote = remote
            remote.name += bad
            remote.firmware = (remote.firmware ?? "") + bad
            return remote
        }
        return snapshot
    }

    /// Read as a POSIX shell reads words: outside single quotes and backslash escapes, only characters with no
    /// meaning to the shell, apart from the operators ShellCommand writes as words of their own.
    static func isInert(_ command: String) -> Bool {
        if command == ShellCommand.withheld { return true }
        let characters = Array(command)
        var unquoted = ""
        var hadQuotes = false
        func wordIsInert() -> Bool {
            defer { unquoted = ""; hadQuotes = false }
            if !hadQuotes, unquoted == "|" || unquoted == "2>&1" { return true }
            return unquoted.allSatisfy { $0.isLetter || $0.isNumber || "_-./=:@%+,".contains($0) }
        }
        var index = 0
        while index < characters.count {
            switch characters[index] {
            case "'":
                guard let end = characters[(index + 1)...].firstIndex(of: "'") else { return false }
                hadQuotes = true
                index = end + 1
            case "\\":
                guard index + 1 < characters.count else { return false }
                hadQuotes = true
                index += 2
            case " ":
                guard wordIsInert() else { return false }
                index += 1
            default:
                unquoted.append(characters[index])
                index += 1
            }
        }
        return wordIsInert()
    }

    @Test func theCheckItselfCatchesInjection() {
        #expect(!Self.isInert("echo x; id"))
        #expect(!Self.isInert("echo $(id)"))
        #expect(!Self.isInert("echo 'a'$(id)"))
        #expect(!Self.isInert("echo 'unterminated"))
        #expect(!Self.isInert("echo a|b"))
        #expect(Self.isInert(ShellCommand("echo", Self.payload).pipe("sudo", "tee", "/x/" + Self.payload).printed))
    }

    @Test(arguments: scanFindingCases)
    func everyScanCommandStaysInert(_ testCase: ScanFindingCase) {
        let (snapshot, intent) = testCase.raisedBy()
        for finding in Diagnosis.findings(for: Self.hostile(snapshot), intent: intent) {
            for command in finding.commands {
                #expect(Self.isInert(command), "\(finding.id.rawValue): \(command)")
            }
        }
    }
}
