#if canImport(Glibc)
import Glibc
#endif

extension SystemReader {
    /// The invoking process's effective identity: what open() will be checked against.
    /// On a collected board, the user who ran the collector.
    func invokingUser(names: AccountNames, nodeGroups: [UInt32]) -> UserCredentials {
        let (uid, gid, groups) = collected?.credentials ?? Self.processCredentials()
        var groupNames: [String: String] = [:]
        for id in Set(groups + [gid] + nodeGroups) {
            if let name = names.groups[id] { groupNames[String(id)] = name }
        }
        return UserCredentials(
            uid: uid, gid: gid, groups: Array(Set(groups)).sorted(),
            userName: names.users[uid], groupNames: groupNames
        )
    }

    private static func processCredentials() -> (uid: UInt32, gid: UInt32, groups: [UInt32]) {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        if count > 0 {
            let filled = getgroups(count, &groups)
            groups = Array(groups.prefix(Int(max(filled, 0))))
        }
        return (geteuid(), getegid(), groups)
    }
}
