import Foundation

public enum SnapshotFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case newerSchema(path: String, version: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read snapshot \(path): \(reason)"
        case .malformed(let path, let reason): "\(path) is not an rpmsg-doctor snapshot: \(reason)"
        case .newerSchema(let path, let version):
            "\(path) has schema version \(version); this rpmsg-doctor reads up to \(Snapshot.currentSchemaVersion): upgrade it"
        }
    }
}

/// Saves and loads snapshots as JSON documents, so that a scan can be repeated on any machine.
public enum SnapshotFile {
    public static func load(_ path: String) throws(SnapshotFileError) -> Snapshot {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        struct Version: Decodable { var schemaVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw .malformed(path: path, reason: "no schemaVersion")
        }
        guard version.schemaVersion <= Snapshot.currentSchemaVersion else {
            throw .newerSchema(path: path, version: version.schemaVersion)
        }
        do {
            return try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw .malformed(path: path, reason: String(describing: error))
        }
    }

    public static func save(_ snapshot: Snapshot, to path: String) throws(SnapshotFileError) {
        do {
            try Data((try JSONDocument.encode(snapshot) + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
