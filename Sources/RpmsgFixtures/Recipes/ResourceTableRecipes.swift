import RpmsgDoctorCore

/// Boards whose debugfs shows the resource tables of their cores (as root sees them), each named for what the
/// table says.
extension FieldRecipes {
    /// `stm32mp1()`, healthy, with the table Linux holds for the M4: one rpmsg vdev with the name service,
    /// status ACKNOWLEDGE|DRIVER|DRIVER_OK, two vrings of 16 buffers.
    public static func stm32mp1WithResourceTable() throws -> Board {
        let board = try stm32mp1()
        try board.addResourceTable(vdevs: [Board.VdevEntry()])
        return board
    }

    /// STM32MP1 5.15: the M4 runs a firmware built without a resource table. It booted anyway (stm32_rproc only
    /// warns), so remoteproc says running and there is no virtio device; the boot's warning has left the log.
    public static func stm32mp1WithoutResourceTable() throws -> Board {
        try Board.build(.st5_15) { board in
            let platform = try board.addPlatformDevice("soc/10000000.m4", driver: "stm32-rproc")
            _ = try board.addRemoteProcessor(under: platform, processorName: "m4", firmware: "rproc-m4-fw")
            try board.addResourceTable(vdevs: nil)
            try board.log("remoteproc remoteproc0: remote processor m4 is now up")
        }
    }

    /// Failure mode 12 on i.MX93 (6.6): Linux attached to the M33 U-Boot started, copied its table and set
    /// DRIVER_OK in that copy; the firmware waits on the table linked in its own image and never announces.
    public static func imx93WaitingOnItsOwnTable() throws -> Board {
        try Board.build(.nxp6_6) { board in
            let platform = try board.addPlatformDevice("imx93-cm33", driver: "imx-rproc")
            let remote = try board.addRemoteProcessor(under: platform, processorName: "imx-rproc", state: "attached", firmware: "unknown")
            _ = try board.addControl(on: try board.addVirtio(under: remote))
            try board.addResourceTable(vdevs: [Board.VdevEntry()])
            try board.log("remoteproc remoteproc0: remote processor imx-rproc is now attached")
            try board.log("virtio_rpmsg_bus virtio0: rpmsg host is online")
        }
    }

    /// ZynqMP (linux-xlnx 6.1): the firmware declares vrings of 12 buffers; virtio refuses a size that is not a
    /// power of two, virtio_rpmsg_bus fails its probe and Linux writes FAILED into the vdev's status.
    public static func zynqmpWithBadVrings() throws -> Board {
        try Board.build(.xilinx6_1) { board in
            _ = try board.addVirtio(under: try addZynqmpR5F(board), bound: false)
            try board.registerDriver("virtio_rpmsg_bus", bus: "virtio")
            try board.addResourceTable(vdevs: [Board.VdevEntry(status: 0x83, vringBuffers: [12, 12])])
            try board.log("remoteproc remoteproc0: remote processor ff9a0000.rf5ss:r5f_0 is now up")
            try board.log("virtio_rpmsg_bus: probe of virtio0 failed with error -22")
        }
    }
}
