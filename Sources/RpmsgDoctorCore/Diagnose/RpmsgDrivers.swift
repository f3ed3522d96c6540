/// Which rpmsg driver binds which channel name, per kernel generation and vendor (the drivers' id tables), and the
/// module that carries it: what a driverless channel is missing.
struct RpmsgDriverID {
    /// The driver's name under /sys/bus/rpmsg/drivers.
    let driver: String
    /// The module to load (`modprobe`), which /proc/modules lists when loaded.
    let module: String
    /// The kernel option that builds it, without CONFIG_.
    var configOption: String {
        switch module {
        case "rpmsg_char": "RPMSG_CHAR"
        case "rpmsg_tty": "RPMSG_TTY"
        case "rpmsg_client_sample": "SAMPLE_RPMSG_CLIENT"
        default: "IMX_RPMSG_TTY"
        }
    }
    /// The channel name in the driver's id table.
    let name: String
    /// The mainline releases whose driver binds this name: from `since`, before `until`.
    var since: (major: Int, minor: Int)?
    var until: (major: Int, minor: Int)?
    /// Whose kernels carry the driver when mainline does not (or only as a sample): there, a missing driver is no fault.
    var onlyIn: String?
    /// The driver's id table changed across releases under the same name (rpmsg_chrdev): being registered does not
    /// mean it binds this name.
    var versioned = false
    let source: String

    static let all: [RpmsgDriverID] = [
        RpmsgDriverID(driver: "rpmsg_chrdev", module: "rpmsg_char", name: "rpmsg-raw", since: (5, 18), versioned: true, source: "drivers/rpmsg/rpmsg_char.c"),
        RpmsgDriverID(driver: "rpmsg_chrdev", module: "rpmsg_char", name: "rpmsg_chrdev", until: (5, 13), onlyIn: "TI's", versioned: true,
                      source: "drivers/rpmsg/rpmsg_char.c (mainline before 5.13, TI kernels)"),
        RpmsgDriverID(driver: "rpmsg_tty", module: "rpmsg_tty", name: "rpmsg-tty", since: (5, 16), source: "drivers/tty/rpmsg_tty.c"),
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-virtual-tty-channel", onlyIn: "NXP's", source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-virtual-tty-channel-1", onlyIn: "NXP's", source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        RpmsgDriverID(driver: "imx_rpmsg_tty", module: "imx_rpmsg_tty", name: "rpmsg-openamp-demo-channel", onlyIn: "NXP's", source: "drivers/tty/imx_rpmsg_tty.c (NXP)"),
        RpmsgDriverID(driver: "rpmsg_client_sample", module: "rpmsg_client_sample", name: "rpmsg-client-sample", onlyIn: "sample-enabled",
                      source: "samples/rpmsg/rpmsg_client_sample.c (CONFIG_SAMPLE_RPMSG_CLIENT)"),
    ]

    /// Whether this kernel's own drivers bind the name, so that a channel of that name without a driver is a fault.
    func isExpected(on system: SystemContext) -> Bool {
        guard onlyIn == nil || until != nil else { return false }
        let afterStart = since.map { system.kernelIsAtLeast($0.major, $0.minor) != false } ?? true
        let beforeEnd = until.map { system.kernelIsAtLeast($0.major, $0.minor) != true } ?? true
        return afterStart && beforeEnd
    }

    /// Whether a driver here binds the name: this kernel's mainline driver does, or the driver is registered and its
    /// id table never changed (a vendor kernel with rpmsg_tty backported to 5.15 binds "rpmsg-tty" all the same).
    func binds(on system: SystemContext, registered: Set<String>) -> Bool {
        isExpected(on: system) || (registered.contains(driver) && !versioned)
    }
}
