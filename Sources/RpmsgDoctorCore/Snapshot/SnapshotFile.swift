import FoundationEssentials

public enum SnapshotFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unknownSchema(path: String, version: Int)
    case unwritable(FileWriteError)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read snapshot \(TerminalSafe.text(path)): \(TerminalSafe.text(reason))"
        case .malformed(let path, let reason): "\(TerminalSafe.text(path)) is not an rpmsg-doctor snapshot: \(TerminalSafe.text(reason))"
        case .unknownSchema(let path, let version) where version > Snapshot.currentSchemaVersion:
            "\(TerminalSafe.text(path)) has schema version \(version); this rpmsg-doctor reads up to \(Snapshot.currentSchemaVersion): upgrade it"
        case .unknownSchema(let path, let version):
            "\(TerminalSafe.text(path)) has schema version \(version), which no rpmsg-doctor ever wrote (versions start at 1)"
        case .unwritable(let error): error.description
        }
    }
}

/// Saves and loads snapshots as JSON documents, so that a scan can be repeated on any machine. A snapshot comes
/// from someone else's board: it is read within a size limit and checked strictly.
public enum SnapshotFile {
    /// Far above any real board (the 4096-channel benchmark board's snapshot is about 9 MiB).
    public static let sizeLimit = 64 << 20

    /// Reads `path`, or standard input for "-".
    public static func load(_ path: String) throws(SnapshotFileError) -> Snapshot {
        let bytes: [UInt8]
        do {
            bytes = try BoundedFile.read(path, limit: sizeLimit)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return try decode(bytes, path: path)
    }

    /// A snapshot from the bytes of a document; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(SnapshotFileError) -> Snapshot {
        let data = Data(bytes)
        struct Version: Decodable { var schemaVersion: Int }
        let version: Int
        do {
            version = try JSONDecoder().decode(Version.self, from: data).schemaVersion
        } catch {
            throw .malformed(path: path, reason: JSONSyntax.firstProblem(in: bytes).map { "not valid JSON: \($0)" } ?? JSONProblem(error).description)
        }
        guard version == Snapshot.currentSchemaVersion else { throw .unknownSchema(path: path, version: version) }
        do {
            return try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw .malformed(path: path, reason: JSONProblem(error).description)
        }
    }

    /// Writes the snapshot to `path` in one step, or to standard output for "-".
    public static func save(_ snapshot: Snapshot, to path: String) throws(SnapshotFileError) {
        let text: String
        do {
            text = try JSONDocument.encode(snapshot) + "\n"
        } catch {
            throw .malformed(path: path, reason: "it cannot be written as JSON: \(error)")
        }
        if path == "-" {
            print(text, terminator: "")
            return
        }
        do {
            try AtomicFile.write(text, to: path)
        } catch {
            throw .unwritable(error)
        }
    }
}

/// A JSON decoding error in words: where in the document, and what was wrong there.
struct JSONProblem: CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        guard let error = error as? DecodingError else {
            description = "\(error)"
            return
        }
        switch error {
        case .dataCorrupted(let context):
            description = Self.located(context, context.debugDescription)
        case .keyNotFound(let key, let context):
            description = Self.located(context, "the key \"\(key.stringValue)\" is missing")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            description = Self.located(context, "expected \(Self.name(of: type))")
        @unknown default:
            description = "\(error)"
        }
    }

    private static func located(_ context: DecodingError.Context, _ problem: String) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? problem : "at \(path.hasPrefix(".") ? String(path.dropFirst()) : path): \(problem)"
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is UInt32.Type, is Int64.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
