import RpmsgDoctorCore

extension Board {
    /// A node in /sys/firmware/devicetree/base ("rpmsg@90000000" or "reserved-memory/vdev0buffer@90400000").
    /// Properties are files as the kernel exposes them: strings NUL-terminated, cells big-endian.
    @discardableResult
    public func addDeviceTreeNode(_ path: String, compatible: [String] = [], status: String? = nil,
                                  vdevNums: UInt32? = nil) throws -> SysPath {
        let node = SysPath("/sys/firmware/devicetree/base/" + path)
        try tree.makeDirectory(node)
        let nodeName = node.lastComponent.prefix(while: { $0 != UInt8(ascii: "@") })
        try tree.write(node + "name", bytes: Array(nodeName) + [0])
        if !compatible.isEmpty { try tree.write(node + "compatible", bytes: compatible.flatMap { Array($0.utf8) + [0] }) }
        if let status { try tree.write(node + "status", bytes: Array(status.utf8) + [0]) }
        if let vdevNums { try tree.write(node + "vdev-nums", bytes: (0..<4).map { UInt8(truncatingIfNeeded: vdevNums >> (24 - 8 * $0)) }) }
        return node
    }
}
