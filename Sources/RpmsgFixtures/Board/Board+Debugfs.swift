import RpmsgDoctorCore

extension Board {
    /// An RSC_VDEV entry of a firmware's resource table, with what Linux wrote back into it.
    public struct VdevEntry: Sendable {
        public var id: UInt32 = 7
        public var deviceFeatures: UInt32 = 1
        public var guestFeatures: UInt32 = 1
        /// ACKNOWLEDGE|DRIVER|DRIVER_OK: what Linux writes once virtio_rpmsg_bus is ready.
        public var status: UInt32 = 0x7
        public var vringBuffers: [UInt32] = [16, 16]

        public init(id: UInt32 = 7, deviceFeatures: UInt32 = 1, guestFeatures: UInt32 = 1, status: UInt32 = 0x7, vringBuffers: [UInt32] = [16, 16]) {
            self.id = id
            self.deviceFeatures = deviceFeatures
            self.guestFeatures = guestFeatures
            self.status = status
            self.vringBuffers = vringBuffers
        }
    }

    /// `/sys/kernel/debug/remoteproc/remoteprocN/resource_table` as remoteproc_debugfs.c prints it: a trace entry,
    /// then each vdev with its vrings; without vdevs, "No resource table found". Modes as debugfs has them.
    public func addResourceTable(ofRemote name: String = "remoteproc0", vdevs: [VdevEntry]?) throws {
        let debugfs = SysPath("/sys/kernel/debug")
        let directory = debugfs + "remoteproc" + name
        try tree.makeDirectory(directory)
        try tree.write(directory + "resource_table", vdevs.map(Self.resourceTableText) ?? "No resource table found\n")
        try tree.setMode(directory + "resource_table", 0o400)
        try tree.setMode(debugfs, 0o700)
    }

    /// `/sys/kernel/debug/devices_deferred` as drivers/base/dd.c prints it: "DEVICE\tREASON" per device whose probe
    /// is deferred, "DEVICE\t" for one whose driver gave no reason (one that does not use dev_err_probe).
    public func addDeferredProbes(_ entries: [(device: String, reason: String)]) throws {
        let debugfs = SysPath("/sys/kernel/debug")
        try tree.makeDirectory(debugfs)
        try tree.write(debugfs + "devices_deferred", entries.map { "\($0.device)\t\($0.reason)\n" }.joined())
        try tree.setMode(debugfs + "devices_deferred", 0o400)
        try tree.setMode(debugfs, 0o700)
    }

    private static func resourceTableText(_ vdevs: [VdevEntry]) -> String {
        var text = "Entry 0 is of type trace\n  Device Address 0x20000\n  Length 0x1000 Bytes\n  Reserved (should be zero) [0]\n  Name trace0\n\n"
        for (offset, vdev) in vdevs.enumerated() {
            text += "Entry \(offset + 1) is of type vdev\n  ID \(vdev.id)\n  Notify ID \(offset * 3)\n"
                + "  Device features 0x\(String(vdev.deviceFeatures, radix: 16))\n  Guest features 0x\(String(vdev.guestFeatures, radix: 16))\n"
                + "  Config length 0x0\n  Status 0x\(String(vdev.status, radix: 16))\n  Number of vrings \(vdev.vringBuffers.count)\n"
                + "  Reserved (should be zero) [0][0]\n\n"
            for (index, buffers) in vdev.vringBuffers.enumerated() {
                text += "  Vring \(index)\n    Device Address 0x\(String(0x1004_0000 + 0x8000 * (offset * 2 + index), radix: 16))\n"
                    + "    Alignment 16\n    Number of buffers \(buffers)\n    Notify ID \(offset * 3 + index + 1)\n    Physical Address 0x0\n\n"
            }
        }
        return text
    }
}
