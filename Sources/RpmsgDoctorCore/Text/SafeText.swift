/// Text that is safe to write to a terminal: the only way text from the system, a snapshot or a file reaches the
/// screen. Literals are ours; every interpolated value is neutralised (control characters, escape sequences,
/// newlines and bidirectional overrides shown as `\x1b`, `\n`, `\u{202e}`), so a name can never forge a line,
/// move the cursor or recolour the screen.
public struct SafeText: Equatable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral literal: String) {
        text = literal
    }

    public init(stringInterpolation: Interpolation) {
        text = stringInterpolation.text
    }

    /// Text from anywhere, neutralised.
    public init(_ untrusted: String) {
        text = TerminalSafe.text(untrusted)
    }

    /// Escape sequences of our own (colours), never built from outside text.
    init(styling prefix: StaticString, _ inner: SafeText, _ suffix: StaticString) {
        text = "\(prefix)" + inner.text + "\(suffix)"
    }

    public var description: String { text }

    public static func + (lhs: SafeText, rhs: SafeText) -> SafeText {
        var result = lhs
        result.text += rhs.text
        return result
    }

    public static func += (lhs: inout SafeText, rhs: SafeText) {
        lhs.text += rhs.text
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        public mutating func appendInterpolation(_ value: SafeText) {
            text += value.text
        }

        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            text += TerminalSafe.text(value.description)
        }
    }
}

extension Array where Element == SafeText {
    public func joined(separator: SafeText) -> SafeText {
        var result: SafeText = ""
        for (offset, element) in enumerated() {
            if offset > 0 { result += separator }
            result += element
        }
        return result
    }

    /// The lines as one text for output, each ended by a newline.
    public var document: String {
        map { $0.text + "\n" }.joined()
    }
}
