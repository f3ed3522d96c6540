@testable import RpmsgDoctorCore

/// Snapshots built in code, for testing diagnosis and rendering as the pure functions they are.
enum SnapshotBuilders {
    static let user = UserCredentials(uid: 1000, gid: 1000, groups: [1000], userName: "dev", groupNames: ["1000": "dev"])

    static func node(_ name: String, dev: String, mode: UInt32 = 0o600, gid: UInt32 = 0, group: String = "root") -> DeviceNode {
        DeviceNode(path: "/dev/\(name)", state: .present, devNumber: dev, uid: 0, gid: gid, owner: "root", group: group, mode: mode)
    }

    static func virtio(_ index: Int, ns: Bool = true, parent: String = "90000000.rpmsg") -> VirtioDevice {
        VirtioDevice(
            name: "virtio\(index)", sysfsPath: "/sys/devices/platform/\(parent)/virtio\(index)", deviceID: "0x0007",
            features: (ns ? "1" : "0") + String(repeating: "0", count: 63), driver: "virtio_rpmsg_bus", transportParent: parent
        )
    }

    static func control(_ index: Int, on virtio: Int, mode: UInt32 = 0o600, gid: UInt32 = 0, group: String = "root") -> ControlDevice {
        let host = "virtio\(virtio).rpmsg_chrdev.0.0"
        return ControlDevice(
            name: "rpmsg_ctrl\(index)", sysfsPath: "/sys/devices/platform/90000000.rpmsg/virtio\(virtio)/\(host)/rpmsg/rpmsg_ctrl\(index)",
            devNumber: "511:\(index)", virtio: "virtio\(virtio)", hostChannel: host, node: node("rpmsg_ctrl\(index)", dev: "511:\(index)", mode: mode, gid: gid, group: group)
        )
    }

    static func channel(_ name: String, dst: UInt32, on virtio: Int, driver: String? = nil) -> Channel {
        let deviceName = "virtio\(virtio).\(name).-1.\(dst)"
        return Channel(
            deviceName: deviceName, name: name, src: .any, dst: RpmsgAddress(dst), announce: false, driver: driver,
            virtio: "virtio\(virtio)", sysfsPath: "/sys/devices/platform/90000000.rpmsg/virtio\(virtio)/\(deviceName)"
        )
    }

    static func endpoint(_ index: Int, through control: ControlDevice, name: String, src: UInt32, dst: UInt32) -> EndpointDevice {
        EndpointDevice(
            name: "rpmsg\(index)", sysfsPath: control.sysfsPath + "/rpmsg\(index)", devNumber: "511:\(index + 64)",
            endpointName: name, src: RpmsgAddress(src), dst: RpmsgAddress(dst), virtio: control.virtio, control: control.name,
            node: node("rpmsg\(index)", dev: "511:\(index + 64)")
        )
    }

    /// The i.MX8QM story: the channel lives on virtio1, the user made an endpoint through rpmsg_ctrl0 (virtio0).
    static func canonical(user: UserCredentials = user) -> Snapshot {
        let ctrl0 = control(0, on: 0)
        return Snapshot(
            source: "test",
            system: SystemContext(kernelRelease: "5.15.71-imx", characterMajors: [CharacterMajor(major: 511, name: "rpmsg")],
                                  rpmsgBusPresent: true, rpmsgClassPresent: true),
            user: user,
            virtioDevices: [virtio(0), virtio(1)],
            channels: [channel("rpmsg-openamp-demo-channel", dst: 30, on: 1, driver: "imx_rpmsg_tty")],
            controlDevices: [ctrl0, control(1, on: 1)],
            endpointDevices: [endpoint(0, through: ctrl0, name: "rpmsg-openamp-demo-channel", src: 2, dst: 30)],
            drivers: [BusDriver(name: "imx_rpmsg_tty"), BusDriver(name: "rpmsg_chrdev")],
            kernelLog: KernelLog(source: "/dev/kmsg", readable: true, lines: [])
        )
    }

    /// rpmsg is built in, but no virtio device came up (firmware or device tree problems).
    static func remoteDown() -> Snapshot {
        Snapshot(
            source: "test",
            system: SystemContext(kernelRelease: "6.1.0", rpmsgBusPresent: true, rpmsgClassPresent: true),
            user: user,
            kernelLog: KernelLog(source: "/dev/kmsg", readable: true, lines: [])
        )
    }

    /// remoteproc0 in `state`, with the resource table debugfs showed for it: one rpmsg vdev with `status`.
    static func remote(state: String = "running", vdevStatus status: UInt32, vringBuffers: [UInt32] = [16, 16]) -> RemoteProcessor {
        let vdev = VdevResource(entry: 1, id: VdevResource.rpmsgID, deviceFeatures: 1, guestFeatures: 1, status: status,
                                vrings: vringBuffers.map { VringResource(alignment: 16, buffers: $0) })
        return RemoteProcessor(
            name: "remoteproc0", sysfsPath: "/sys/devices/platform/soc/10000000.m4/remoteproc/remoteproc0", processorName: "m4",
            state: state, firmware: "rproc-m4-fw", recovery: "enabled",
            resourceTable: ResourceTable(path: "/sys/kernel/debug/remoteproc/remoteproc0/resource_table", readable: true, found: true, vdevs: [vdev])
        )
    }

    /// One remote, one announced rpmsg-raw channel with its endpoint, nodes open to the user's group.
    static func healthy() -> Snapshot {
        let ctrl = control(0, on: 0, mode: 0o660, gid: 1000, group: "dev")
        var raw = channel("rpmsg-raw", dst: 1024, on: 0, driver: "rpmsg_chrdev")
        raw.src = RpmsgAddress(1025)
        let endpoint = EndpointDevice(
            name: "rpmsg0", sysfsPath: raw.sysfsPath + "/rpmsg/rpmsg0", devNumber: "510:0", endpointName: "rpmsg-raw",
            src: RpmsgAddress(1025), dst: RpmsgAddress(1024), virtio: "virtio0", hostChannel: raw.deviceName,
            node: node("rpmsg0", dev: "510:0", mode: 0o660, gid: 1000, group: "dev")
        )
        return Snapshot(
            source: "test",
            system: SystemContext(kernelRelease: "6.1.0", characterMajors: [CharacterMajor(major: 510, name: "rpmsg_char"), CharacterMajor(major: 511, name: "rpmsg_ctrl")],
                                  rpmsgBusPresent: true, rpmsgClassPresent: true),
            user: user,
            virtioDevices: [virtio(0)],
            channels: [raw],
            controlDevices: [ctrl],
            endpointDevices: [endpoint],
            drivers: [BusDriver(name: "rpmsg_chrdev"), BusDriver(name: "rpmsg_ctrl"), BusDriver(name: "rpmsg_ns")],
            kernelLog: KernelLog(source: "/dev/kmsg", readable: true, lines: ["[    1.000000] virtio_rpmsg_bus virtio0: rpmsg host is online"])
        )
    }
}

extension Array where Element == Finding {
    func ids() -> [String] { map(\.id.rawValue) }

    func first(_ code: FindingCode) -> Finding? { first { $0.id == code } }
}
