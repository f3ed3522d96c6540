extension StringProtocol {
    func trimmingWhitespace() -> String {
        // ASCII text (attributes, addresses) is trimmed byte by byte: the same result, without grapheme breaking.
        let ascii = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard DisplayText.isASCII(bytes) else { return nil }
            var start = bytes.startIndex
            var end = bytes.endIndex
            while start < end, Self.isASCIIWhitespace(bytes[start]) { start += 1 }
            while end > start, Self.isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        if case let text?? = ascii { return text }
        return String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }

    /// The ASCII characters that `Character.isWhitespace` accepts: tab, line feed, vertical tab, form feed, carriage return, space.
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
