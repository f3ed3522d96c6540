/// User and group names from the system's own /etc/passwd and /etc/group (below the root being read).
struct AccountNames {
    var users: [UInt32: String] = [:]
    var groups: [UInt32: String] = [:]
    var groupMembers: [UInt32: [String]] = [:]

    init(reader: SystemReader) {
        users = Self.table(reader.fs, "/etc/passwd").mapValues { $0.name }
        let groupTable = Self.table(reader.fs, "/etc/group")
        groups = groupTable.mapValues { $0.name }
        groupMembers = groupTable.mapValues { $0.members }
    }

    /// Parses `name:x:id:...:members` lines; malformed lines are skipped.
    private static func table(_ fs: RootedFileSystem, _ path: String) -> [UInt32: (name: String, members: [String])] {
        guard case .success(let text) = fs.attribute(SysPath(path)) else { return [:] }
        var result: [UInt32: (name: String, members: [String])] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, let id = UInt32(fields[2]), result[id] == nil else { continue }
            result[id] = (String(fields[0]), fields[3].split(separator: ",").map(String.init))
        }
        return result
    }
}
