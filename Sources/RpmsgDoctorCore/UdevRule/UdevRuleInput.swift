public enum UdevRuleInputError: Error, Equatable, CustomStringConvertible {
    case invalidGroup(String, reason: String)
    case invalidMode(String)
    case worldAccess(mode: String)
    case unsafeChannel(String, reason: String)
    case invalidRemoteProcessor(String)

    public var description: String {
        switch self {
        case .invalidGroup(let name, let reason):
            "--group \(UdevRuleInput.quoted(name)) is not a usable group name: \(reason)"
        case .invalidMode(let text):
            "--mode \(UdevRuleInput.quoted(text)) is not an octal mode between 0000 and 0777 (such as 0660)"
        case .worldAccess(let mode):
            "--mode \(mode) lets every user open the rpmsg devices (a read-only open of rpmsg_ctrlN is enough to create "
                + "endpoints); use a group instead, or add --allow-world-writable if that is really meant"
        case .unsafeChannel(let name, let reason):
            "--channel \(UdevRuleInput.quoted(name)) cannot go into a udev rule: \(reason)"
        case .invalidRemoteProcessor(let name):
            "--remoteproc \(UdevRuleInput.quoted(name)) is not a remote processor name: expected remoteprocN, as listed in /sys/class/remoteproc"
        }
    }
}

/// Checks for the values that end up inside a rules file. Channel names may come from the remote's firmware,
/// so they pass only if udev reads them back exactly as given: no quote, backslash, substitution or pattern character.
enum UdevRuleInput {
    static let groupNameLimit = 32
    /// RPMSG_NAME_SIZE is 32 bytes with the final NUL.
    static let channelNameLimit = 31

    static func groupName(_ name: String) throws(UdevRuleInputError) -> String {
        let reason: String? = if name.isEmpty {
            "it is empty"
        } else if name.utf8.count > groupNameLimit {
            "it is longer than \(groupNameLimit) characters"
        } else if name.hasSuffix("$") {
            "a final $ is allowed in group names, but udev would read it as the start of a substitution"
        } else if !isGroupName(name) {
            "it must start with a lowercase letter or _ and hold only lowercase letters, digits, _ and -"
        } else {
            nil
        }
        if let reason { throw .invalidGroup(name, reason: reason) }
        return name
    }

    private static func isGroupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let isLowercase = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard let first = bytes.first, isLowercase(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.dropFirst().allSatisfy { isLowercase($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// "0660" or "660"; no setuid, setgid or sticky bits.
    static func mode(_ text: String) throws(UdevRuleInputError) -> UInt32 {
        let digits = text.count == 4 && text.hasPrefix("0") ? String(text.dropFirst()) : text
        guard digits.count == 3, digits.allSatisfy({ ("0"..."7").contains($0) }), let mode = UInt32(digits, radix: 8) else {
            throw .invalidMode(text)
        }
        return mode
    }

    static func modeText(_ mode: UInt32) -> String {
        "0" + String(mode, radix: 8).leftPadded(to: 3)
    }

    static func remoteProcessor(_ name: String) throws(UdevRuleInputError) -> String {
        let number = name.dropFirst("remoteproc".count)
        guard name.hasPrefix("remoteproc"), (1...9).contains(number.count), number.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .invalidRemoteProcessor(name)
        }
        return name
    }

    static func channelName(_ name: String) throws(UdevRuleInputError) -> String {
        if name.isEmpty { throw .unsafeChannel(name, reason: "it is empty") }
        if name.utf8.count > channelNameLimit {
            throw .unsafeChannel(name, reason: "it is \(name.utf8.count) bytes long; rpmsg names hold at most \(channelNameLimit)")
        }
        if let problem = name.unicodeScalars.lazy.compactMap(problem(with:)).first {
            throw .unsafeChannel(name, reason: problem)
        }
        return name
    }

    /// Why a character may not appear in a channel name given to udev, or nil when it may.
    private static func problem(with scalar: Unicode.Scalar) -> String? {
        let shown = quoted(String(scalar))
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", ":", "@", "+", "#", "=", ",":
            return nil
        case "\"":
            return "it contains a double quote, which would end udev's quoted value"
        case "\\":
            return "it contains a backslash, which udev reads as an escape"
        case "$", "%":
            return "it contains \(shown), which udev reads as the start of a substitution"
        case "*", "?", "[", "]", "|":
            return "it contains \(shown), a udev pattern character that would match other names too"
        case " ":
            return "it contains a space"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            return "it contains the control character \(shown)"
        case _ where !scalar.isASCII:
            return "it contains \(shown), which is not ASCII"
        default:
            return "it contains \(shown); only letters, digits and - _ . : @ + # = , are accepted"
        }
    }

    /// A value from the command line as a quoted literal, with quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        TerminalSafe.text(value.debugDescription)
    }
}
