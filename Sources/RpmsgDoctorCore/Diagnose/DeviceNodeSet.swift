/// Every device node rpmsg-doctor looks at, with the sysfs device it stands for.
struct ManagedNode {
    var sysfsPath: String
    var classLink: String
    var expectedDevNumber: String?
    var node: DeviceNode
}

extension Snapshot {
    var managedNodes: [ManagedNode] {
        controlDevices.map { ManagedNode(sysfsPath: $0.sysfsPath, classLink: "/sys/class/rpmsg/\($0.name)", expectedDevNumber: $0.devNumber, node: $0.node) }
            + endpointDevices.map { ManagedNode(sysfsPath: $0.sysfsPath, classLink: "/sys/class/rpmsg/\($0.name)", expectedDevNumber: $0.devNumber, node: $0.node) }
            + ttys.map { ManagedNode(sysfsPath: $0.sysfsPath, classLink: "/sys/class/tty/\($0.name)", expectedDevNumber: $0.devNumber, node: $0.node) }
    }
}
