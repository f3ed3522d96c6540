/// A file-system path kept as raw bytes: sysfs names come from firmware and need not be UTF-8.
public struct SysPath: Hashable, Sendable, CustomStringConvertible {
    public private(set) var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    public static func + (lhs: SysPath, component: String) -> SysPath {
        var path = lhs
        path.append(component.utf8)
        return path
    }

    public func appending(_ component: [UInt8]) -> SysPath {
        var path = self
        path.append(component)
        return path
    }

    private mutating func append<Component: Collection>(_ component: Component) where Component.Element == UInt8 {
        bytes.reserveCapacity(bytes.count + 1 + component.count)
        if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
        bytes.append(contentsOf: component)
    }

    public var components: [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "/")).map(Array.init)
    }

    public var lastComponent: [UInt8] {
        guard let end = bytes.lastIndex(where: { $0 != UInt8(ascii: "/") }) else { return [] }
        let start = bytes[..<end].lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        return Array(bytes[start...end])
    }

    public var parent: SysPath {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return SysPath("") }
        return slash == 0 ? SysPath("/") : SysPath(bytes: Array(bytes[..<slash]))
    }

    /// The path as text for people and JSON; bytes that are not UTF-8 appear as `\xNN`.
    public var description: String { DisplayText.decode(bytes) }

    public func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try SysPath.withCString([], bytes, "", body)
    }

    /// `prefix`, `path` and, when `name` is not empty, `name` as a component below `path` (as `path + name`
    /// makes it), as one NUL-terminated string, on the stack when it is short (paths usually are).
    static func withCString<T>(_ prefix: [UInt8], _ path: [UInt8], _ name: String = "",
                               _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var name = name
        return try name.withUTF8 { name in
            let slash = !name.isEmpty && path.last != UInt8(ascii: "/")
            let count = prefix.count + path.count + (slash ? 1 : 0) + name.count
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 1) { buffer in
                var end = buffer.baseAddress!
                prefix.withUnsafeBufferPointer { part in
                    if let source = part.baseAddress { end.initialize(from: source, count: part.count) }
                }
                end += prefix.count
                path.withUnsafeBufferPointer { part in
                    if let source = part.baseAddress { end.initialize(from: source, count: part.count) }
                }
                end += path.count
                if slash {
                    end.initialize(to: UInt8(ascii: "/"))
                    end += 1
                }
                if let source = name.baseAddress, !name.isEmpty {
                    end.initialize(from: source, count: name.count)
                    end += name.count
                }
                end.initialize(to: 0)
                return try buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: count + 1) { try body($0) }
            }
        }
    }
}

public enum DisplayText {
    /// Decodes bytes read from the system into text, writing each byte of an invalid UTF-8 sequence as `\xNN`.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        // Names and attributes are almost always ASCII: checked a word at a time, then copied as they are.
        let ascii = bytes.withContiguousStorageIfAvailable { isASCII($0) ? String(decoding: $0, as: UTF8.self) : nil }
        if case let text?? = ascii { return text }
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var result = ""
        var pending: [UInt8] = []
        func flushInvalid() {
            for byte in pending { result += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2) }
            pending.removeAll()
        }
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let length = utf8SequenceLength(bytes[index...])
            if length > 0 {
                flushInvalid()
                let end = bytes.index(index, offsetBy: length)
                result += String(decoding: bytes[index..<end], as: UTF8.self)
                index = end
            } else {
                pending.append(bytes[index])
                index = bytes.index(after: index)
            }
        }
        flushInvalid()
        return result
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var pointer = bytes.baseAddress else { return true }
        let end = pointer + bytes.count
        while end - pointer >= 8 {
            if UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            pointer += 8
        }
        while pointer < end {
            if pointer.pointee & 0x80 != 0 { return false }
            pointer += 1
        }
        return true
    }

    private static func utf8SequenceLength<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        guard let first = bytes.first else { return 0 }
        let length: Int
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        let sequence = Array(bytes.prefix(length))
        guard sequence.count == length, String(validating: sequence, as: UTF8.self) != nil else { return 0 }
        return length
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
