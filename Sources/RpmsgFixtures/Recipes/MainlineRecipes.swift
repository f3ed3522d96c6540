import RpmsgDoctorCore

extension Recipes {
    /// (a) Mainline 6.1+: remoteproc0 with two vdevs, `rproc-virtio.0.auto/virtio0` and `rproc-virtio.1.auto/virtio1`,
    /// each with `virtioK.rpmsg_ns.53.53` and a ctrl under `virtioK.rpmsg_ctrl.0.0`.
    /// - virtio0: `virtio0.rpmsg-raw.-1.30` bound to rpmsg_chrdev (local address 1024), its endpoint `rpmsg0`
    ///   (name rpmsg-raw, src 1024, dst 30) under it.
    /// - virtio1: `virtio1.rpmsg-tty.-1.31` bound to rpmsg_tty with `ttyRPMSG0` under it; `virtio1.app-channel.-1.40`
    ///   unbound, and `rpmsg1` (name app-channel, src ANY, dst 40) made through virtio1's ctrl.
    /// Ctrls: rpmsg_ctrl0 on virtio0 and rpmsg_ctrl1 on virtio1, or the other way round when `controlsProbedInReverse`
    /// (as when the ctrl module loads after both virtio devices and binds them in another order).
    public static func mainline6_1(controlsProbedInReverse: Bool = false, node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.mainline6_1) { board in
            let remote = try stm32RemoteProcessor(board)
            let virtio0 = try board.addVirtio(under: remote)
            let virtio1 = try board.addVirtio(under: remote)
            _ = try board.addControl(on: virtio0, index: controlsProbedInReverse ? 1 : 0, node: node)
            let control1 = try board.addControl(on: virtio1, index: controlsProbedInReverse ? 0 : 1, node: node)
            let raw = try board.addChannel(on: virtio0, name: "rpmsg-raw", dst: RpmsgAddress(30), driver: "rpmsg_chrdev", localAddress: RpmsgAddress(1024))
            _ = try board.addEndpoint(under: raw, name: "rpmsg-raw", src: RpmsgAddress(1024), dst: RpmsgAddress(30), index: 0, node: node)
            let tty = try board.addChannel(on: virtio1, name: "rpmsg-tty", dst: RpmsgAddress(31), driver: "rpmsg_tty", localAddress: RpmsgAddress(1024))
            _ = try board.addRpmsgTTY(under: tty, index: 0, node: node)
            _ = try board.addChannel(on: virtio1, name: "app-channel", dst: RpmsgAddress(40))
            _ = try board.addEndpoint(under: control1, name: "app-channel", src: .any, dst: RpmsgAddress(40), index: 1, node: node)
            try board.log("virtio_rpmsg_bus virtio0: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio1: rpmsg host is online")
            try board.log("virtio_rpmsg_bus virtio0: creating channel rpmsg-raw addr 0x1e")
            try board.log("virtio_rpmsg_bus virtio1: creating channel rpmsg-tty addr 0x1f")
            try board.log("virtio_rpmsg_bus virtio1: creating channel app-channel addr 0x28")
        }
    }

    /// (b) Mainline about 5.1 to 6.0 (here 6.0, split majors): `remoteproc0/remoteproc0#vdev0buffer/virtio0` with
    /// `virtio0.rpmsg_ns.53.53`, rpmsg_ctrl0 under `virtio0.rpmsg_ctrl.0.0`, and `virtio0.rpmsg-raw.-1.30` bound to
    /// rpmsg_chrdev with `rpmsg0` (src 1024, dst 30) under it.
    public static func mainline6_0(node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.mainline6_0) { board in
            let virtio0 = try board.addVirtio(under: try stm32RemoteProcessor(board))
            _ = try board.addControl(on: virtio0, node: node)
            let raw = try board.addChannel(on: virtio0, name: "rpmsg-raw", dst: RpmsgAddress(30), driver: "rpmsg_chrdev", localAddress: RpmsgAddress(1024))
            _ = try board.addEndpoint(under: raw, name: "rpmsg-raw", src: RpmsgAddress(1024), dst: RpmsgAddress(30), node: node)
        }
    }

    /// (c) Mainline 5.13 to 5.17 (here 5.15, one `rpmsg` major, no rpmsg_ctrl driver): `remoteproc0#vdev0buffer/virtio0`,
    /// rpmsg_ctrl0 under `virtio0.rpmsg_chrdev.0.0`; `virtio0.rpmsg-raw.-1.30` stays unbound (rpmsg_chrdev only
    /// matches rpmsg-raw from 5.18), and `rpmsg0` (name rpmsg-raw, src 1025, dst 30) was made through rpmsg_ctrl0.
    public static func mainline5_15(node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.mainline5_15) { board in
            let virtio0 = try board.addVirtio(under: try stm32RemoteProcessor(board))
            let control = try board.addControl(on: virtio0, node: node)
            _ = try board.addChannel(on: virtio0, name: "rpmsg-raw", dst: RpmsgAddress(30))
            _ = try board.addEndpoint(under: control, name: "rpmsg-raw", src: RpmsgAddress(1025), dst: RpmsgAddress(30), node: node)
        }
    }

    /// (d) Mainline before 5.13 (here 5.10: no rpmsg_ns device, no ctrl per virtio): `remoteproc0#vdev0buffer/virtio0`
    /// with `virtio0.rpmsg-openamp-demo-channel.-1.1024`. With `bindChannelToChrdev`, the channel was bound through
    /// `driver_override` = rpmsg_chrdev and rpmsg_ctrl0 hangs under it; without, there is no ctrl at all.
    public static func mainline5_10(bindChannelToChrdev: Bool = true, node: NodeSpec = .rootOnly) throws -> Board {
        try Board.build(.mainline5_10) { board in
            let virtio0 = try board.addVirtio(under: try stm32RemoteProcessor(board))
            let channel = try board.addChannel(on: virtio0, name: "rpmsg-openamp-demo-channel", dst: RpmsgAddress(1024),
                                               driver: bindChannelToChrdev ? "rpmsg_chrdev" : nil,
                                               driverOverride: bindChannelToChrdev ? "rpmsg_chrdev" : nil)
            if bindChannelToChrdev { _ = try board.addControl(hostedBy: channel, node: node) }
        }
    }
}
