/// What the collector (scripts/rpmsg-collect.sh) recorded about a board beside its copy of the files: the device
/// nodes (a tar made by a user cannot hold them), who ran it, and what it could not read. Present only below a
/// root that holds `.rpmsg-collect/FORMAT`; discovery then takes these instead of asking the host.
struct CollectedBoard {
    static let directory = "/.rpmsg-collect"
    static let supportedFormat = "rpmsg-collect 1"
    /// What the collector records beside the files stays far below this (a line per device node, per problem).
    static let fileLimit = 16 << 20

    var nodes: [String: FileStatus] = [:]
    var credentials: (uid: UInt32, gid: UInt32, groups: [UInt32])?
    var unreadable: [ReadProblem] = []
    var uname: String?

    enum Lookup {
        case none
        case board(CollectedBoard)
        case unsupported(ReadProblem)
    }

    static func read(_ fs: RootedFileSystem) -> Lookup {
        guard case .success(let format) = fs.attribute(SysPath(directory + "/FORMAT")) else { return .none }
        guard format == supportedFormat else {
            return .unsupported(ReadProblem(path: directory + "/FORMAT", error: "\"\(format)\" is not a format this rpmsg-doctor reads (\(supportedFormat))"))
        }
        var board = CollectedBoard()
        var problems: [ReadProblem] = []
        if let text = whole("nodes", fs, &problems) {
            for line in text.split(separator: "\n") {
                if let (path, status) = node(line) { board.nodes[path] = status }
            }
        }
        if let text = whole("id", fs, &problems) { board.credentials = credentials(text) }
        if let text = whole("unreadable", fs, &problems) {
            board.unreadable = text.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                return fields.count == 2 ? ReadProblem(path: "on the board: " + unescape(fields[0]), error: String(fields[1])) : nil
            }
        }
        if let text = whole("uname", fs, &problems) { board.uname = text }
        board.unreadable += problems
        return .board(board)
    }

    /// A file the collector wrote, read whole or not at all: one cut at a limit would lose records without a word
    /// and end in half a line. Nil when absent or not read, with the reason noted in `problems`.
    private static func whole(_ name: String, _ fs: RootedFileSystem, _ problems: inout [ReadProblem]) -> String? {
        let path = directory + "/" + name
        switch fs.read(SysPath(path), limit: fileLimit + 1) {
        case .success(let bytes) where bytes.count > fileLimit:
            problems.append(ReadProblem(path: path, error: "larger than \(fileLimit >> 20) MiB: not read"))
            return nil
        case .success(let bytes):
            return bytes.withUnsafeBufferPointer(RootedFileSystem.attributeText)
        case .failure(.missing):
            return nil
        case .failure(let error):
            problems.append(ReadProblem(path: path, error: error.description))
            return nil
        }
    }

    /// `PATH TYPE MAJOR MINOR UID GID MODE`, as `/dev/rpmsg0 c 510 0 0 0 0600`.
    static func node(_ line: Substring) -> (String, FileStatus)? {
        let fields = line.split(separator: " ")
        guard fields.count == 7, fields[0].hasPrefix("/dev/"), let major = UInt32(fields[2]), let minor = UInt32(fields[3]),
              let uid = UInt32(fields[4]), let gid = UInt32(fields[5]), let mode = UInt32(fields[6], radix: 8), mode <= 0o7777 else { return nil }
        let kind: FileStatus.Kind
        switch fields[1] {
        case "c": kind = .characterDevice
        case "b": kind = .blockDevice
        case "f": kind = .regular
        case "l": kind = .symlink
        default: kind = .other
        }
        return (String(fields[0]), FileStatus(kind: kind, major: major, minor: minor, uid: uid, gid: gid, mode: mode))
    }

    /// What `id` prints: `uid=1000(torizon) gid=1000(torizon) groups=1000(torizon),20(dialout)`.
    static func credentials(_ text: String) -> (uid: UInt32, gid: UInt32, groups: [UInt32])? {
        var values: [Substring: [UInt32]] = [:]
        for field in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[parts[0]] = parts[1].split(separator: ",").compactMap { UInt32($0.prefix { $0.isASCII && $0.isNumber }) }
        }
        guard let uid = values["uid"]?.first, let gid = values["gid"]?.first else { return nil }
        // busybox's id prints no groups= at all when there are no supplementary groups.
        return (uid, gid, values["groups"] ?? [])
    }

    /// The collector writes backslash, newline and tab in a path as `\\`, `\n` and `\t`.
    private static func unescape(_ path: Substring) -> String {
        var result = ""
        var escaped = false
        for character in path {
            if escaped {
                result.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
