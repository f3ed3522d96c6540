/// Makes text from the system safe to print: names come from firmware and may hold newlines,
/// terminal escape sequences or bidirectional overrides.
public enum TerminalSafe {
    public static func text(_ value: String) -> String {
        // Nearly all text is harmless: return it as it is rather than rebuild it scalar by scalar.
        guard value.unicodeScalars.contains(where: needsEscape) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            if let escaped = escape(scalar) { result += escaped } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Control characters (C0, DEL, C1) and bidirectional overrides, which could move the cursor or reorder text.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool { escape(scalar) != nil }

    private static func escape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x0A: "\\n"
        case 0x09: "\\t"
        case 0x0D: "\\r"
        case 0x00...0x1F, 0x7F...0x9F: "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: "\\u{" + String(scalar.value, radix: 16) + "}"
        default: nil
        }
    }
}
