/// Makes text from the system safe to print: names come from firmware and may hold newlines,
/// terminal escape sequences or bidirectional overrides.
public enum TerminalSafe {
    public static func text(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x09: result += "\\t"
            case 0x0D: result += "\\r"
            case 0x00...0x1F, 0x7F...0x9F:
                result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
