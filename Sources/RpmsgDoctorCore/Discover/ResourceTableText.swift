/// What `rproc_rsc_table_show` (drivers/remoteproc/remoteproc_debugfs.c) prints: "No resource table found", or per
/// entry "Entry N is of type vdev" with indented "Key value" lines, and per vring "  Vring N" with deeper ones.
/// The text may come from someone else's board: entries and vrings are bounded, and anything else is skipped.
enum ResourceTableText {
    static let readLimit = 64 << 10
    static let vdevLimit = 32
    /// The kernel allows two vrings per vdev (RVDEV_NUM_VRINGS); a few more are kept to show what is wrong.
    static let vringLimit = 8

    static func parse(_ bytes: [UInt8]) -> (found: Bool, vdevs: [VdevResource]) {
        let text = DisplayText.decode(bytes)
        if text.trimmingWhitespace() == "No resource table found" { return (false, []) }
        var vdevs: [VdevResource] = []
        var current: VdevResource?
        var inVring = false
        var keepingVring = false
        func finish() {
            if let vdev = current, vdevs.count < vdevLimit { vdevs.append(vdev) }
            current = nil
        }
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingWhitespace()
            if line.hasPrefix("Entry ") {
                finish()
                inVring = false
                if line.hasSuffix(" is of type vdev"), let entry = Int(line.dropFirst("Entry ".count).prefix(while: \.isNumber)) {
                    current = VdevResource(entry: entry)
                }
                continue
            }
            guard var vdev = current else { continue }
            if line.hasPrefix("Vring ") {
                inVring = true
                keepingVring = vdev.vrings.count < vringLimit
                if keepingVring { vdev.vrings.append(VringResource()) }
                current = vdev
                continue
            }
            guard let space = line.lastIndex(of: " "), let value = number(line[line.index(after: space)...]) else { continue }
            let key = line[..<space]
            if inVring {
                guard keepingVring else { continue }
                let last = vdev.vrings.count - 1
                switch key {
                case "Device Address": vdev.vrings[last].deviceAddress = value
                case "Alignment": vdev.vrings[last].alignment = value
                case "Number of buffers": vdev.vrings[last].buffers = value
                default: break
                }
            } else {
                switch key {
                case "ID": vdev.id = value
                case "Device features": vdev.deviceFeatures = value
                case "Guest features": vdev.guestFeatures = value
                case "Status": vdev.status = value
                default: break
                }
            }
            current = vdev
        }
        finish()
        return (true, vdevs)
    }

    /// "0x1f" or "%d" as printed: a u32 printed with %d reads negative from 2^31 on.
    static func number(_ text: Substring) -> UInt32? {
        if text.hasPrefix("0x") { return UInt32(text.dropFirst(2), radix: 16) }
        return Int64(text).flatMap { (Int64(Int32.min)...Int64(UInt32.max)).contains($0) ? UInt32(truncatingIfNeeded: $0) : nil }
    }
}
