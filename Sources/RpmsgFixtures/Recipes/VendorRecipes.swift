import RpmsgDoctorCore

extension Recipes {
    /// (e) TI 5.10 (AM64x): remoteproc0 (`bus@100000/5000000.m4fss`) and remoteproc1 (`bus@100000/78000000.r5f`),
    /// each with `remoteprocM#vdev0buffer/virtioK` (virtio0 and virtio1), no rpmsg_ns device. The firmware
    /// announces `ti.ipc4.ping-pong` at 13 (unbound) and `rpmsg_chrdev` at 14, which rpmsg_chrdev binds:
    /// rpmsg_ctrl0 hangs under `virtio0.rpmsg_chrdev.-1.14`, rpmsg_ctrl1 under `virtio1.rpmsg_chrdev.-1.14`.
    /// `rpmsg0` (name rpmsg_chrdev, src ANY, dst 14) was made through rpmsg_ctrl0.
    public static func ti5_10(node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.ti5_10) { board in
            var controls: [SysfsDevice] = []
            for (device, firmware) in [("5000000.m4fss", "am64-mcu-m4f0_0-fw"), ("78000000.r5f", "am64-main-r5f0_0-fw")] {
                let platform = try board.addPlatformDevice("bus@100000/" + device, driver: device.hasSuffix("m4fss") ? "k3-m4-rproc" : "k3_r5_rproc")
                let remote = try board.addRemoteProcessor(under: platform, processorName: device, firmware: firmware)
                let virtio = try board.addVirtio(under: remote)
                _ = try board.addChannel(on: virtio, name: "ti.ipc4.ping-pong", dst: RpmsgAddress(13))
                let chrdev = try board.addChannel(on: virtio, name: "rpmsg_chrdev", dst: RpmsgAddress(14), driver: "rpmsg_chrdev")
                controls.append(try board.addControl(hostedBy: chrdev, node: node))
            }
            _ = try board.addEndpoint(under: controls[0], name: "rpmsg_chrdev", src: .any, dst: RpmsgAddress(14), node: node)
        }
    }

    /// (f) NXP linux-imx imx_rpmsg (i.MX8QM): no remoteproc; the device-tree node `rpmsg@90000000`
    /// (fsl,imx8qm-rpmsg, vdev-nums 2) makes the platform device `90000000.rpmsg` (driver imx-rpmsg) with
    /// `virtio0` and `virtio1` right under it. On kernels with a ctrl per virtio (5.15) rpmsg_ctrl0 hangs under
    /// `virtio0.rpmsg_chrdev.0.0` and rpmsg_ctrl1 under virtio1's. The M4 (rpmsg-lite str_echo) announces
    /// `rpmsg-openamp-demo-channel` at 0x1e on virtio1, bound to imx_rpmsg_tty (local address 1024), whose tty
    /// `ttyRPMSG30` sits in /sys/devices/virtual/tty.
    public static func nxpImxRpmsg(kernel: KernelStyle = .nxp5_15, node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(kernel) { board in try buildImxRpmsg(board, node: node) }
    }

    /// THE CANONICAL CASE, the i.MX8QM story: `nxpImxRpmsg` on linux-imx 5.15, plus the endpoint the user made
    /// through the wrong ctrl: `rpmsg0` under rpmsg_ctrl0 (so on virtio0) with name rpmsg-openamp-demo-channel,
    /// src 2, dst 30, while the channel lives on virtio1. Nodes are root:root 0600 (no udev rule) unless `node`
    /// says otherwise; the user `torizon` (1000) is in group dialout (20). The kernel log holds the lines the
    /// field reports show.
    public static func imx8qmCanonical(node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.nxp5_15) { board in
            let controls = try buildImxRpmsg(board, node: node)
            _ = try board.addEndpoint(under: controls[0], name: "rpmsg-openamp-demo-channel", src: RpmsgAddress(2), dst: RpmsgAddress(30), node: node)
            try board.addGroup("torizon", gid: 1000)
            try board.addUser("torizon", uid: 1000, gid: 1000)
            try board.addGroup("dialout", gid: 20, members: ["torizon"])
            try board.log("imx rpmsg driver is registered.")
            try board.log("virtio_rpmsg_bus virtio0: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio1: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio1: creating channel rpmsg-openamp-demo-channel addr 0x1e")
            try board.log("imx_rpmsg_tty virtio1.rpmsg-openamp-demo-channel.-1.30: new channel: 0x400 -> 0x1e!")
        }
    }

    /// Builds (f) and returns its ctrls, virtio0's first.
    @discardableResult
    private static func buildImxRpmsg(_ board: Board, node: NodeSpec) throws -> [SysfsDevice] {
        let deviceTreeNode = try board.addDeviceTreeNode("rpmsg@90000000", compatible: ["fsl,imx8qm-rpmsg"], status: "okay", vdevNums: 2)
        let platform = try board.addPlatformDevice("90000000.rpmsg", driver: "imx-rpmsg", deviceTreeNode: deviceTreeNode)
        let virtios = [try board.addVirtio(under: platform), try board.addVirtio(under: platform)]
        var controls: [SysfsDevice] = []
        if case .virtioDevice = board.kernel.controlHost {
            for virtio in virtios { controls.append(try board.addControl(on: virtio, node: node)) }
        }
        _ = try board.addChannel(on: virtios[1], name: "rpmsg-openamp-demo-channel", dst: RpmsgAddress(30),
                                           driver: "imx_rpmsg_tty", localAddress: RpmsgAddress(1024))
        _ = try board.addImxRpmsgTTY(dst: RpmsgAddress(30), node: node)
        return controls
    }
}
