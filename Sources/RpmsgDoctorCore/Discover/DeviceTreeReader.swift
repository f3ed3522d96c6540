extension SystemReader {
    static let deviceTreeBase = "/sys/firmware/devicetree/base"
    static let deviceTreeDepthLimit = 4
    static let deviceTreeNodeLimit = 20_000

    /// Device-tree nodes about rpmsg: nodes named or compatible with rpmsg, and reserved-memory carve-outs for vrings.
    func rpmsgDeviceTreeNodes() -> [DeviceTreeNode] {
        var found: [DeviceTreeNode] = []
        var visited = 0
        func walk(_ path: SysPath, logicalPath: String, depth: Int) {
            guard depth <= Self.deviceTreeDepthLimit, visited < Self.deviceTreeNodeLimit else { return }
            for entry in entries(path) {
                let child = path.appending(entry)
                guard case .success(let status) = fs.status(child), status.kind == .directory else { continue }
                visited += 1
                let name = DisplayText.decode(entry)
                let childLogical = logicalPath + "/" + name
                let compatible = compatibleStrings(child + "compatible")
                let lowered = name.lowercased()
                let isReservedCarveOut = logicalPath.hasSuffix("/reserved-memory")
                    && ["vdev", "rpmsg", "rsc", "vring", "m4", "m7", "r5"].contains(where: lowered.contains)
                if lowered.contains("rpmsg") || compatible.contains(where: { $0.contains("rpmsg") }) || isReservedCarveOut {
                    found.append(DeviceTreeNode(
                        path: childLogical, compatible: compatible,
                        status: optionalAttribute(child, "status"),
                        vdevCount: bigEndianCell(child + "vdev-nums")
                    ))
                }
                walk(child, logicalPath: childLogical, depth: depth + 1)
            }
        }
        walk(SysPath(Self.deviceTreeBase), logicalPath: "", depth: 0)
        return withPlatformDevices(found)
    }

    /// Each enabled transport node with the platform device made of it and that device's driver, found by the
    /// devices' `of_node` links: the device name depends on address translation, so it cannot be derived. Only links
    /// that look like device-tree links are resolved, and only where they lead counts.
    private func withPlatformDevices(_ nodes: [DeviceTreeNode]) -> [DeviceTreeNode] {
        guard nodes.contains(where: { $0.isEnabled && $0.isRpmsgTransport }) else { return nodes }
        let bus = SysPath("/sys/bus/platform/devices")
        let marker = Array((Self.deviceTreeBase.dropFirst("/sys".count) + "/").utf8)
        let base = Array((Self.deviceTreeBase + "/").utf8)
        var devicesByNode: [String: SysPath] = [:]
        for entry in entries(bus).prefix(Self.deviceTreeNodeLimit) {
            let device = bus.appending(entry)
            guard case .link(let target) = fs.linkTarget(device, "of_node"), target.firstRange(of: marker) != nil,
                  let node = resolve(device + "of_node"), node.bytes.starts(with: base) else { continue }
            devicesByNode["/" + DisplayText.decode(node.bytes.dropFirst(base.count))] = device
        }
        var deferred: [String: String]?
        return nodes.map { node in
            guard node.isEnabled, node.isRpmsgTransport, let device = devicesByNode[node.path] else { return node }
            var placed = node
            placed.platformDevice = resolve(device)?.description ?? device.description
            placed.driver = linkTarget(device, "driver")
            if placed.driver == nil, let name = placed.platformDeviceName {
                deferred = deferred ?? deferredProbes()
                placed.deferredProbe = deferred?[name]
            }
            return placed
        }
    }

    /// `/sys/kernel/debug/devices_deferred` (drivers/base/dd.c): "DEVICE\tDRIVER: REASON" or "DEVICE\t" per line
    /// ("DEVICE" alone before 5.8). Root only, like all of debugfs: unread, it says nothing.
    private func deferredProbes() -> [String: String] {
        guard case .success(let bytes) = fs.read(SysPath("/sys/kernel/debug/devices_deferred")) else { return [:] }
        var reasons: [String: String] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n")).prefix(Self.deviceTreeNodeLimit) {
            let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 1, omittingEmptySubsequences: false)
            reasons[DisplayText.decode(fields[0])] = fields.count == 2 ? DisplayText.decode(fields[1]).trimmingWhitespace() : ""
        }
        return reasons
    }

    private func bigEndianCell(_ path: SysPath) -> UInt32? {
        guard case .success(let bytes) = fs.read(path), bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
