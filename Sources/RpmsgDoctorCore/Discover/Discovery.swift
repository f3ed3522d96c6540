/// Reads the whole rpmsg picture of one system into a snapshot.
public enum Discovery {
    /// - Parameter root: "/" for the live system, or a directory holding a copy of one (`--root`).
    public static func snapshot(root: String = "/") throws(ReadError) -> Snapshot {
        let reader = SystemReader(fs: try RootedFileSystem(root: root))
        let names = AccountNames(reader: reader)
        var classDevices = reader.classDevices(owners: names)
        let channels = reader.channels()
        let ttys = reader.rpmsgTTYs(owners: names).map { placeVirtualTTY($0, channels: channels) }
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
            source: reader.fs.isLive ? "live" : reader.collected.map { "collected on \($0.uname ?? "a board")" } ?? "root \(root)",
            system: reader.systemContext(),
            user: reader.invokingUser(names: names, nodeGroups: nodeGroups),
            remoteProcessors: reader.remoteProcessors(),
            virtioDevices: reader.rpmsgVirtioDevices(),
            channels: channels,
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

    /// NXP's imx_rpmsg_tty registers its tty without a parent (/sys/devices/virtual/tty/ttyRPMSG<dst>):
    /// its channel is the one that driver bound with that address.
    static func placeVirtualTTY(_ tty: RpmsgTTY, channels: [Channel]) -> RpmsgTTY {
        guard tty.hostChannel == nil,
              let channel = channels.first(where: { KernelNames.isImxTTY(named: tty.name, ofChannelBoundBy: $0.driver, at: $0.dst) }) else { return tty }
        var placed = tty
        placed.hostChannel = channel.deviceName
        placed.virtio = channel.virtio
        return placed
    }
}
