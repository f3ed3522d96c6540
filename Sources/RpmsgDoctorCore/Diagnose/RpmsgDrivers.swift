/// Which rpmsg driver binds which channel name, per kernel generation and vendor (the drivers' id tables), and the
/// module that carries it: what a driverless channel is missing.
struct RpmsgDriverID {
    /// The driver's name under /sys/bus/rpmsg/drivers.
    let driver: String
    /// The module to load (`modprobe`), which /proc/modules lists when loaded.
    let module: String
    /// The channel name in the driver's id table.
    let name: String
    /// The first mainline release whose driver binds this name, when it is not every release.
    let since: (major: Int, minor: Int)?
    let source: String

    static let all: [RpmsgDriverID] = [
        // drivers/rpmsg/rpmsg_char.c: id_table { "rpmsg-raw" } from 5.18 (channel-bound /dev/rpmsgN).
        RpmsgDriverID(driver: "rpmsg_chrdev", module: "rpmsg_char", name: "rpmsg-raw", since: (5, 18), source: "drivers/rpmsg/rpmsg_char.c"),
        // Before 5.13 mainline, and TI's kernels, bind the remote's "rpmsg_chrdev" channel.
        RpmsgDriverID(driver: "rpmsg_chrdev", module: "rpmsg_char", name: "rpmsg_chrdev", since: nil, source: "drivers/rpmsg/rpmsg_char.c (TI, and mainline before 5.13)"),
        // drivers/tty/rpmsg_tty.c: id_table { "rpmsg-tty" }, from 5.16.
        RpmsgDriverID(driver: "rpmsg_tty", module: "rpmsg_tty", name: "rpmsg-tty", since: (5, 16), source: "drivers/tty/rpmsg_tty.c"),
        // NXP's drivers/tty/imx_rpmsg_tty.c (vendor kernels).
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-virtual-tty-channel", since: nil, source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-virtual-tty-channel-1", since: nil, source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-openamp-demo-channel", since: nil, source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        // samples/rpmsg/rpmsg_client_sample.c (CONFIG_SAMPLE_RPMSG_CLIENT).
        RpmsgDriverID(driver: "rpmsg_client_sample", module: "rpmsg_client_sample", name: "rpmsg-client-sample", since: nil, source: "samples/rpmsg/rpmsg_client_sample.c"),
    ]

    /// The ids this kernel's drivers can have, in a fixed order.
    static func known(on system: SystemContext) -> [RpmsgDriverID] {
        all.filter { id in id.since.map { system.kernelIsAtLeast($0.major, $0.minor) != false } ?? true }
    }
}
