/// The probe's messages, each built in place in one buffer: the exchange loop allocates nothing per message.
/// Message `sequence` holds exactly the bytes of `ProbeOptions.message(sequence)`.
final class ProbeMessage {
    private let buffer: UnsafeMutableRawBufferPointer
    /// With --expect echo, or without a payload of the user's: a frame, header and all.
    private let framed: Bool
    /// The user's payload, fixed; otherwise the payload is a pattern that depends on the sequence number.
    private let fixedPayload: [UInt8]?
    private let fixedChecksum: UInt32

    init(options: ProbeOptions) {
        let payload = options.payload
        framed = options.expectation == .echo || payload == nil
        fixedPayload = payload
        fixedChecksum = payload.map { CRC32.checksum($0) } ?? 0
        let count = framed ? ProbeFrame.headerSize + (payload?.count ?? max(options.size - ProbeFrame.headerSize, 0)) : payload?.count ?? 0
        buffer = .allocate(byteCount: count, alignment: 4)
        if let payload {
            let start = framed ? ProbeFrame.headerSize : 0
            UnsafeMutableRawBufferPointer(rebasing: buffer[start...]).copyBytes(from: payload)
        }
    }

    deinit { buffer.deallocate() }

    var count: Int { buffer.count }

    /// Message `sequence`, valid until the next call.
    func fill(_ sequence: UInt32) -> UnsafeRawBufferPointer {
        guard framed else { return UnsafeRawBufferPointer(buffer) }
        let payload = UnsafeMutableRawBufferPointer(rebasing: buffer[ProbeFrame.headerSize...])
        var checksum = fixedChecksum
        if fixedPayload == nil {
            // ProbeFrame(sequence:totalSize:)'s pattern, and its CRC-32 in the same pass.
            var crc: UInt32 = 0xFFFF_FFFF
            let start = Int(sequence) &* 31
            CRC32.table.withUnsafeBufferPointer { table in
                for index in 0..<payload.count {
                    let byte = UInt8(truncatingIfNeeded: start &+ index)
                    payload[index] = byte
                    crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
                }
            }
            checksum = ~crc
        }
        for (index, byte) in ProbeFrame.magic.enumerated() { buffer[index] = byte }
        store(sequence, at: 4)
        store(UInt32(payload.count), at: 8)
        store(checksum, at: 12)
        return UnsafeRawBufferPointer(buffer)
    }

    private func store(_ value: UInt32, at offset: Int) {
        for shift in 0..<4 { buffer[offset + shift] = UInt8(truncatingIfNeeded: value >> (8 * shift)) }
    }
}
