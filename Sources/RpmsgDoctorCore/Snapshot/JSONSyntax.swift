/// Finds where a document stops being JSON (RFC 8259), with line and column, since the decoder says only that it
/// is not. Used only to explain a document that failed to decode.
struct JSONSyntax {
    struct Problem: Error, Equatable, CustomStringConvertible {
        let line: Int
        let column: Int
        let message: String

        var description: String { "\(message) at line \(line), column \(column)" }
    }

    private let bytes: [UInt8]
    private var position = 0
    private static let maximumDepth = 512

    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var parser = JSONSyntax(bytes: bytes)
        do throws(Problem) {
            parser.skipWhitespace()
            try parser.value(depth: 0)
            parser.skipWhitespace()
            if parser.position < bytes.count { throw parser.problem("unexpected text after the document") }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func problem(_ message: String) -> Problem {
        let before = bytes[..<min(position, bytes.count)]
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return Problem(line: line, column: position - lineStart + 1, message: message)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, [0x20, 0x09, 0x0A, 0x0D].contains(byte) { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Problem) {
        guard current == byte else { throw problem(current == nil ? "the document ends where \(what) should be" : "expected \(what)") }
        position += 1
    }

    private mutating func value(depth: Int) throws(Problem) {
        guard depth < Self.maximumDepth else { throw problem("nested more than \(Self.maximumDepth) levels deep") }
        switch current {
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case nil: throw problem("the document ends where a value should be")
        case .some(let byte) where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte): try number()
        default: throw problem("expected a value (NaN, comments and unquoted words are not JSON)")
        }
    }

    private mutating func object(depth: Int) throws(Problem) {
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw problem("expected a quoted key") }
            try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    private mutating func array(depth: Int) throws(Problem) {
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipWhitespace()
            try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return
        }
    }

    private mutating func string() throws(Problem) {
        position += 1
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""): position += 1; return
            case UInt8(ascii: "\\"): position += 2
            case 0x00..<0x20: throw problem("a control character inside a string must be escaped")
            default: position += 1
            }
        }
        throw problem("the document ends inside a string")
    }

    private mutating func literal(_ word: String) throws(Problem) {
        for byte in word.utf8 {
            guard current == byte else { throw problem("expected \(word)") }
            position += 1
        }
    }

    private mutating func number() throws(Problem) {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, digits.contains(first) else { throw problem("expected a digit") }
        while let byte = current, digits.contains(byte) { position += 1 }
        if current == UInt8(ascii: ".") {
            position += 1
            guard let byte = current, digits.contains(byte) else { throw problem("expected a digit after '.'") }
            while let byte = current, digits.contains(byte) { position += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let byte = current, digits.contains(byte) else { throw problem("expected a digit in the exponent") }
            while let byte = current, digits.contains(byte) { position += 1 }
        }
    }
}
