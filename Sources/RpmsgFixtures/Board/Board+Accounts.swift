import RpmsgDoctorCore

extension Board {
    /// A user in /etc/passwd (replacing one of the same name).
    public func addUser(_ name: String, uid: UInt32, gid: UInt32) throws {
        users.removeAll { $0.name == name }
        users.append(UserEntry(name: name, uid: uid, gid: gid))
        try writeAccounts()
    }

    /// A group in /etc/group (replacing one of the same name).
    public func addGroup(_ name: String, gid: UInt32, members: [String] = []) throws {
        groups.removeAll { $0.name == name }
        groups.append(GroupEntry(name: name, gid: gid, members: members))
        try writeAccounts()
    }

    func writeAccounts() throws {
        let passwd = users.map { "\($0.name):x:\($0.uid):\($0.gid):\($0.name):\($0.uid == 0 ? "/root" : "/home/" + $0.name):/bin/sh\n" }
        let group = groups.map { "\($0.name):x:\($0.gid):\($0.members.joined(separator: ","))\n" }
        try tree.write(SysPath("/etc/passwd"), passwd.joined())
        try tree.write(SysPath("/etc/group"), group.joined())
    }
}

struct UserEntry {
    var name: String
    var uid: UInt32
    var gid: UInt32
}

struct GroupEntry {
    var name: String
    var gid: UInt32
    var members: [String] = []
}
