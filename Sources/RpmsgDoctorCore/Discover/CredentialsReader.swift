#if canImport(Glibc)
import Glibc
#endif

extension SystemReader {
    /// The invoking process's effective identity: what open() will be checked against.
    func invokingUser(names: AccountNames, nodeGroups: [UInt32]) -> UserCredentials {
        let uid = geteuid()
        let gid = getegid()
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        if count > 0 {
            let filled = getgroups(count, &groups)
            groups = Array(groups.prefix(Int(max(filled, 0))))
        }
        var groupNames: [String: String] = [:]
        for id in Set(groups + [gid] + nodeGroups) {
            if let name = names.groups[id] { groupNames[String(id)] = name }
        }
        return UserCredentials(
            uid: uid, gid: gid, groups: Array(Set(groups)).sorted(),
            userName: names.users[uid], groupNames: groupNames
        )
    }
}
