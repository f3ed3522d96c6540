import RpmsgDoctorCore

/// Boards of the field notes: vendor kernels as they ship on the boards users have, each healthy unless its name
/// says what is broken. Layouts, names and log lines follow the vendors' sources and the reports they cite.
public enum FieldRecipes {
    /// TI AM64x on ti-linux 5.10 with both cores up: `Recipes.ti5_10`. Broken: the R5F (remoteproc1) crashed, so
    /// its virtio device and channels are gone, though the log still shows its announcement.
    public static func tiAM64xCrashedR5F() throws -> Board {
        try Board.build(.ti5_10) { board in
            let m4 = try board.addPlatformDevice("bus@100000/5000000.m4fss", driver: "k3-m4-rproc")
            let m4Remote = try board.addRemoteProcessor(under: m4, processorName: "5000000.m4fss", firmware: "am64-mcu-m4f0_0-fw")
            let virtio = try board.addVirtio(under: m4Remote)
            let chrdev = try board.addChannel(on: virtio, name: "rpmsg_chrdev", dst: RpmsgAddress(14), driver: "rpmsg_chrdev")
            _ = try board.addControl(hostedBy: chrdev)
            let r5f = try board.addPlatformDevice("bus@100000/78000000.r5f", driver: "k3_r5_rproc")
            _ = try board.addRemoteProcessor(under: r5f, processorName: "78000000.r5f", state: "crashed", firmware: "am64-main-r5f0_0-fw")
            try board.log("virtio_rpmsg_bus virtio0: creating channel rpmsg_chrdev addr 0xe")
            try board.log("virtio_rpmsg_bus virtio1: creating channel rpmsg_chrdev addr 0xe")
            try board.log("remoteproc remoteproc1: crash detected in 78000000.r5f: type watchdog")
        }
    }

    /// TI AM62x on ti-linux 6.1, two cores (M4F at 5000000.m4fss, R5F at 79000000.r5f): each virtio device has its
    /// ctrl under `virtioK.rpmsg_ctrl.0.0`, and the firmware's `rpmsg_chrdev` channel at 14 is bound by rpmsg_char
    /// with a channel-bound endpoint device; `ti.ipc4.ping-pong` at 13 is left to applications.
    public static func tiAM62x() throws -> Board {
        try Board.build(.ti6_1) { board in
            for (device, driver, firmware) in [("5000000.m4fss", "k3-m4-rproc", "am62-mcu-m4f0_0-fw"), ("79000000.r5f", "k3_r5_rproc", "am62-wkup-r5f0_0-fw")] {
                let platform = try board.addPlatformDevice("bus@f0000/" + device, driver: driver)
                let remote = try board.addRemoteProcessor(under: platform, processorName: device, firmware: firmware)
                let virtio = try board.addVirtio(under: remote)
                _ = try board.addControl(on: virtio)
                _ = try board.addChannel(on: virtio, name: "ti.ipc4.ping-pong", dst: RpmsgAddress(13))
                let chrdev = try board.addChannel(on: virtio, name: "rpmsg_chrdev", dst: RpmsgAddress(14), driver: "rpmsg_chrdev", localAddress: RpmsgAddress(1024))
                _ = try board.addEndpoint(under: chrdev, name: "rpmsg_chrdev", src: RpmsgAddress(1024), dst: RpmsgAddress(14))
            }
            try board.log("virtio_rpmsg_bus virtio0: creating channel rpmsg_chrdev addr 0xe")
            try board.log("virtio_rpmsg_bus virtio1: creating channel rpmsg_chrdev addr 0xe")
        }
    }

    /// STM32MP1 on OpenSTLinux 5.15: remoteproc0 "m4" under `soc/10000000.m4` with `remoteproc0#vdev0buffer/virtio0`,
    /// its ctrl under `virtio0.rpmsg_chrdev.0.0`. The firmware announces `channelName` at 0x400: "rpmsg-tty" (the
    /// backported rpmsg_tty binds it: ttyRPMSG0), or the old "rpmsg-tty-channel" that only ST's earlier driver knew.
    public static func stm32mp1(kernel: KernelStyle = .st5_15, channelName: String = "rpmsg-tty") throws -> Board {
        try Board.build(kernel) { board in
            let platform = try board.addPlatformDevice("soc/10000000.m4", driver: "stm32-rproc")
            let remote = try board.addRemoteProcessor(under: platform, processorName: "m4", firmware: "rproc-m4-fw")
            let virtio = try board.addVirtio(under: remote)
            _ = try board.addControl(on: virtio)
            let bound = channelName == "rpmsg-tty"
            let channel = try board.addChannel(on: virtio, name: channelName, dst: RpmsgAddress(0x400), driver: bound ? "rpmsg_tty" : nil,
                                               localAddress: bound ? RpmsgAddress(1024) : nil)
            if bound { _ = try board.addRpmsgTTY(under: channel, index: 0) }
            try board.log("remoteproc0#vdev0buffer: registered virtio0 (type 7)")
            try board.log("virtio_rpmsg_bus virtio0: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio0: creating channel \(channelName) addr 0x400")
        }
    }

    /// ZynqMP on linux-xlnx 6.1: the R5F core `ff9a0000.rf5ss:r5f_0` (a child of the cluster device) started by hand
    /// (auto_boot is off), `rproc-virtio.0.auto/virtio0`, the OpenAMP echo demo's channel at 0x400 reached through
    /// rpmsg_ctrl0.
    public static func zynqmp() throws -> Board {
        try Board.build(.xilinx6_1) { board in
            let virtio = try board.addVirtio(under: try addZynqmpR5F(board))
            _ = try board.addControl(on: virtio)
            _ = try board.addChannel(on: virtio, name: "rpmsg-openamp-demo-channel", dst: RpmsgAddress(0x400))
            try board.log("remoteproc remoteproc0: powering up ff9a0000.rf5ss:r5f_0")
            try board.log("remoteproc remoteproc0: Booting fw image rpmsg-echo.out, size 534836")
            try board.log("remoteproc remoteproc0: remote processor ff9a0000.rf5ss:r5f_0 is now up")
            try board.log("virtio_rpmsg_bus virtio0: creating channel rpmsg-openamp-demo-channel addr 0x400")
        }
    }

    /// The R5F core `ff9a0000.rf5ss:r5f_0` under its cluster device, as remoteproc0 running the echo demo.
    static func addZynqmpR5F(_ board: Board) throws -> SysfsDevice {
        _ = try board.addPlatformDevice("ff9a0000.rf5ss", driver: "zynqmp_r5_remoteproc")
        let core = try board.addPlatformDevice("ff9a0000.rf5ss/ff9a0000.rf5ss:r5f_0")
        return try board.addRemoteProcessor(under: core, processorName: "ff9a0000.rf5ss:r5f_0", firmware: "rpmsg-echo.out")
    }

    /// A core U-Boot started and Linux attached to, on the mainline imx_rproc (every core is named "imx-rproc"; the
    /// firmware reads "unknown"): i.MX8MP's `imx8mp-cm7` or i.MX93's `imx93-cm33`, with rpmsg-raw at 0x1e.
    public static func imxAttached(core: String) throws -> Board {
        try Board.build(.nxp6_6) { board in
            let platform = try board.addPlatformDevice(core, driver: "imx-rproc")
            let remote = try board.addRemoteProcessor(under: platform, processorName: "imx-rproc", state: "attached", firmware: "unknown")
            let virtio = try board.addVirtio(under: remote)
            _ = try board.addControl(on: virtio)
            let raw = try board.addChannel(on: virtio, name: "rpmsg-raw", dst: RpmsgAddress(0x1e), driver: "rpmsg_chrdev", localAddress: RpmsgAddress(1024))
            _ = try board.addEndpoint(under: raw, name: "rpmsg-raw", src: RpmsgAddress(1024), dst: RpmsgAddress(0x1e))
            try board.log("remoteproc remoteproc0: remote processor imx-rproc is now attached")
            try board.log("virtio_rpmsg_bus virtio0: creating channel rpmsg-raw addr 0x1e")
        }
    }

    /// i.MX8ULP: the Cortex-M33 (`remoteproc-cm33`, remoteproc0) has virtio0 and virtio1; the HiFi4 DSP
    /// (`soc@0/21170000.dsp`, remoteproc1) came up later and got virtio2: its channels live on virtio2 and its ctrl
    /// is rpmsg_ctrl2, whatever its remoteproc number says.
    public static func imx8ulp() throws -> Board {
        try Board.build(.nxp6_6) { board in
            let m33 = try board.addRemoteProcessor(under: try board.addPlatformDevice("remoteproc-cm33", driver: "imx-rproc"),
                                                   processorName: "imx-rproc", state: "attached", firmware: "unknown")
            for _ in 0..<2 { _ = try board.addControl(on: try board.addVirtio(under: m33)) }
            let dsp = try board.addRemoteProcessor(under: try board.addPlatformDevice("soc@0/21170000.dsp", driver: "imx-dsp-rproc"),
                                                   processorName: "imx-dsp-rproc", firmware: "hifi4.bin")
            let virtio2 = try board.addVirtio(under: dsp)
            _ = try board.addControl(on: virtio2)
            let tty = try board.addChannel(on: virtio2, name: "rpmsg-tty", dst: RpmsgAddress(0x400), driver: "rpmsg_tty", localAddress: RpmsgAddress(1024))
            _ = try board.addRpmsgTTY(under: tty, index: 0)
            _ = try board.addChannel(on: virtio2, name: "rpmsg-client-sample", dst: RpmsgAddress(0x401))
            try board.log("remoteproc remoteproc1: powering up imx-dsp-rproc")
            try board.log("rproc-virtio rproc-virtio.2.auto: registered virtio2 (type 7)")
            try board.log("virtio_rpmsg_bus virtio2: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio2: creating channel rpmsg-tty addr 0x400")
            try board.log("virtio_rpmsg_bus virtio2: creating channel rpmsg-client-sample addr 0x401")
        }
    }

    /// i.MX8MM on linux-imx 5.15 with the legacy imx_rpmsg node enabled but its reserved memory missing: the
    /// platform device `b8000000.rpmsg` exists without a driver, no virtio device came up, and the log says why.
    public static func imx8mmLegacyProbeFailed() throws -> Board {
        try Board.build(.nxp5_15) { board in
            try addImx8mmLegacyTransport(board)
            try board.log("imx-rpmsg b8000000.rpmsg: No vring buffer.")
            try board.log("imx-rpmsg: probe of b8000000.rpmsg failed with error -12")
        }
    }

    /// The same transport waiting for its mailbox (the MU driver is not built): its probe is deferred, which only
    /// debugfs shows (imx_rpmsg gives no reason and logs nothing at error level).
    public static func imx8mmLegacyWaitingForMailbox() throws -> Board {
        try Board.build(.nxp5_15) { board in
            try addImx8mmLegacyTransport(board)
            try board.addDeferredProbes([(device: "b8000000.rpmsg", reason: "")])
        }
    }

    private static func addImx8mmLegacyTransport(_ board: Board) throws {
        let node = try board.addDeviceTreeNode("rpmsg@b8000000", compatible: ["fsl,imx8mm-rpmsg"], status: "okay", vdevNums: 1)
        _ = try board.addPlatformDevice("b8000000.rpmsg", deviceTreeNode: node)
        try board.log("imx rpmsg driver is registered.")
    }
}
