extension SystemReader {
    static let virtioRpmsgDeviceID = 7

    /// The virtio devices that carry rpmsg (device id 7, or bound to virtio_rpmsg_bus).
    func rpmsgVirtioDevices() -> [VirtioDevice] {
        let busDir = SysPath("/sys/bus/virtio/devices")
        return entries(busDir).compactMap { entry in
            guard let resolved = resolve(busDir.appending(entry)) else { return nil }
            let deviceID = optionalAttribute(resolved, "device")
            let driver = linkTarget(resolved, "driver")
            let isRpmsg = deviceID.flatMap { Int($0.trimmingWhitespace().dropFirst(2), radix: 16) } == Self.virtioRpmsgDeviceID
                || driver == "virtio_rpmsg_bus"
            guard isRpmsg else { return nil }
            let ancestry = SysfsAncestry(resolvedPath: resolved)
            let transportPath = ancestry.transportParentPath.map(SysPath.init)
            return VirtioDevice(
                name: DisplayText.decode(entry),
                sysfsPath: resolved.description,
                deviceID: deviceID,
                features: optionalAttribute(resolved, "features"),
                driver: driver,
                remoteProcessor: ancestry.remoteProcessor,
                transportParent: ancestry.transportParent,
                transportDriver: transportPath.flatMap { linkTarget($0, "driver") },
                transportCompatible: transportPath.map { compatibleStrings($0 + "of_node/compatible") } ?? []
            )
        }
    }

    /// A device-tree `compatible` property: NUL-separated strings.
    func compatibleStrings(_ path: SysPath) -> [String] {
        guard case .success(let bytes) = fs.read(path) else { return [] }
        return bytes.split(separator: 0).map { DisplayText.decode($0) }
    }
}
