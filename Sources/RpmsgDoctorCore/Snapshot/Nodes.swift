public struct DeviceNode: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable { case present, missing, notCharacterDevice, unreadable }

    public var path: String
    public var state: State
    public var devNumber: String?
    public var uid: UInt32?
    public var gid: UInt32?
    public var owner: String?
    public var group: String?
    public var mode: UInt32?
    public var error: String?

    /// `crw-rw----` style text of the mode.
    public var modeString: String {
        guard let mode else { return "?" }
        let kind = state == .present ? "c" : "-"
        let bits = [(0o400, "r"), (0o200, "w"), (0o100, "x"), (0o040, "r"), (0o020, "w"), (0o010, "x"), (0o004, "r"), (0o002, "w"), (0o001, "x")]
        return kind + bits.map { mode & UInt32($0.0) != 0 ? $0.1 : "-" }.joined()
    }

    /// `crw------- root:root`: the mode and the owner and group, by name where known.
    public var ownershipText: String {
        "\(modeString) \(owner ?? uid.map(String.init) ?? "?"):\(group ?? gid.map(String.init) ?? "?")"
    }

    /// Whether these credentials pass the permission bits for read and write (root always does).
    public func allowsReadWrite(for user: UserCredentials) -> Bool {
        guard state == .present, let mode, let uid, let gid else { return false }
        if user.isRoot { return true }
        let shift: UInt32
        if user.uid == uid {
            shift = 6
        } else if user.gid == gid || user.groups.contains(gid) {
            shift = 3
        } else {
            shift = 0
        }
        return (mode >> shift) & 0o6 == 0o6
    }
}

public struct UdevDevice: Codable, Equatable, Sendable {
    public var initialized: Bool
    public var tags: [String] = []
    public var properties: [String: String] = [:]

}

public struct UdevState: Codable, Equatable, Sendable {
    /// Whether the udev database was queried (only on a live system: libudev cannot be re-rooted).
    public var queried = false
    public var daemonRunning: Bool?
    public var rulesFiles: [UdevRulesFile] = []
    public var note: String?

}

public struct UdevRulesFile: Codable, Equatable, Sendable {
    public var path: String
    /// Lines that mention rpmsg, as "NUMBER: TEXT".
    public var lines: [String]

}
