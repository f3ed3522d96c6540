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
        return found
    }

    private func bigEndianCell(_ path: SysPath) -> UInt32? {
        guard case .success(let bytes) = fs.read(path), bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
