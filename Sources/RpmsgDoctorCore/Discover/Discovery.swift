/// Reads the whole rpmsg picture of one system into a snapshot.
public enum Discovery {
    /// - Parameter root: "/" for the live system, or a directory holding a copy of one (`--root`).
    public static func snapshot(root: String = "/") throws(ReadError) -> Snapshot {
        let reader = SystemReader(fs: try RootedFileSystem(root: root))
        let names = AccountNames(reader: reader)
        var classDevices = reader.classDevices(owners: names)
        let ttys = reader.rpmsgTTYs(owners: names)
        let holders = reader.holders(of: Set(classDevices.endpoints.map(\.node.path)))
        for index in classDevices.endpoints.indices {
            classDevices.endpoints[index].holders = holders[classDevices.endpoints[index].node.path] ?? []
        }
        if reader.fs.isLive, let database = UdevDatabase() {
            for index in classDevices.controls.indices {
                classDevices.controls[index].udev = database.device(syspath: classDevices.controls[index].sysfsPath)
            }
            for index in classDevices.endpoints.indices {
                classDevices.endpoints[index].udev = database.device(syspath: classDevices.endpoints[index].sysfsPath)
            }
        }
        let nodeGroups = (classDevices.controls.map(\.node) + classDevices.endpoints.map(\.node) + ttys.map(\.node)).compactMap(\.gid)
        return Snapshot(
            source: reader.fs.isLive ? "live" : "root \(root)",
            system: reader.systemContext(),
            user: reader.invokingUser(names: names, nodeGroups: nodeGroups),
            remoteProcessors: reader.remoteProcessors(),
            virtioDevices: reader.rpmsgVirtioDevices(),
            channels: reader.channels(),
            controlDevices: classDevices.controls,
            endpointDevices: classDevices.endpoints,
            ttys: ttys,
            drivers: reader.busDrivers(),
            udev: reader.udevState(),
            kernelLog: reader.kernelLog(),
            deviceTree: reader.rpmsgDeviceTreeNodes(),
            unreadable: reader.problems
        )
    }
}
