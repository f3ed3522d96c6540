/// Where a device sits, read from its resolved sysfs path. This is the only truth about which virtio device
/// (and so which remote) a ctrl or endpoint belongs to: the numbers in their names say nothing.
struct SysfsAncestry: Equatable {
    var virtio: String?
    var remoteProcessor: String?
    /// The component right above the virtio device: its transport (rproc-virtio.0.auto, a vendor platform device).
    var transportParent: String?
    var transportParentPath: String?
    /// The rpmsg bus device directly below the virtio device on the way to this one.
    var hostChannel: String?
    /// The rpmsg_ctrl device this one hangs under.
    var control: String?

    init(resolvedPath: SysPath, ownName: String? = nil) {
        let names = resolvedPath.components.map { DisplayText.decode($0) }
        let virtioIndex = names.lastIndex(where: { KernelNames.isNumbered($0, prefix: "virtio") })
        if let virtioIndex {
            let virtioName = names[virtioIndex]
            virtio = virtioName
            if virtioIndex > 0 {
                transportParent = names[virtioIndex - 1]
                transportParentPath = "/" + names[..<virtioIndex].joined(separator: "/")
            }
            if virtioIndex + 1 < names.count, names[virtioIndex + 1].hasPrefix(virtioName + "."), names[virtioIndex + 1] != ownName {
                hostChannel = names[virtioIndex + 1]
            }
        }
        remoteProcessor = names.last(where: { KernelNames.isNumbered($0, prefix: "remoteproc") })
        control = names.dropLast().last(where: { KernelNames.isNumbered($0, prefix: "rpmsg_ctrl") })
    }
}
