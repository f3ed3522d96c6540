import FoundationEssentials

/// The one JSON form of every document rpmsg-doctor writes (snapshots, scan, probe): indented, keys sorted,
/// so that two documents of the same system compare line by line.
public enum JSONDocument {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
