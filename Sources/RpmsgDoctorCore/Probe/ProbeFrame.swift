/// The probe's message: a 16-byte header (magic, sequence number, payload length, CRC-32 of the payload)
/// and the payload, so that loss, reordering, duplicates, truncation and corruption each show.
public struct ProbeFrame: Equatable, Sendable {
    public static let magic: [UInt8] = Array("RDPB".utf8)
    public static let headerSize = 16

    public var sequence: UInt32
    public var payload: [UInt8]

    public init(sequence: UInt32, payload: [UInt8]) {
        self.sequence = sequence
        self.payload = payload
    }

    /// A frame of `totalSize` bytes whose payload is a pattern that depends on the sequence number.
    public init(sequence: UInt32, totalSize: Int) {
        let count = max(totalSize - Self.headerSize, 0)
        self.init(sequence: sequence, payload: (0..<count).map { UInt8(truncatingIfNeeded: Int(sequence) &* 31 &+ $0) })
    }

    public var bytes: [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count)
        for field in [sequence, UInt32(payload.count), CRC32.checksum(payload)] { bytes += Self.littleEndian(field) }
        return bytes + payload
    }

    public enum Decoded: Equatable, Sendable {
        case intact(ProbeFrame)
        case truncated(sequence: UInt32, expected: Int, received: Int)
        case corrupted(sequence: UInt32)
        case foreign
    }

    public static func decode(_ bytes: [UInt8]) -> Decoded {
        guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else { return .foreign }
        let sequence = readLittleEndian(bytes, at: 4)
        let length = Int(readLittleEndian(bytes, at: 8))
        let checksum = readLittleEndian(bytes, at: 12)
        let payload = Array(bytes[headerSize...])
        if payload.count < length { return .truncated(sequence: sequence, expected: length, received: payload.count) }
        guard payload.count == length, CRC32.checksum(payload) == checksum else { return .corrupted(sequence: sequence) }
        return .intact(ProbeFrame(sequence: sequence, payload: payload))
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    private static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}

/// CRC-32 (IEEE 802.3), as zlib computes it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            ~bytes.reduce(0xFFFF_FFFF) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
    }
}
