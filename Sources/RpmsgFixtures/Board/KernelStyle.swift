/// How one kernel (version and vendor tree) lays out rpmsg in sysfs: where virtio devices and ctrls hang,
/// which bus devices and character regions exist, which drivers are registered.
public struct KernelStyle: Sendable {
    /// The device between a remote processor and its virtio device.
    public enum VdevParent: Sendable {
        /// `remoteprocM/rproc-virtio.J.auto/virtioK`, a platform device (6.1+).
        case rprocVirtio
        /// `remoteprocM/remoteprocM#vdevJbuffer/virtioK` (about 5.1 to 6.0).
        case vdevBuffer
    }

    /// Where the ctrl device of a virtio device hangs.
    public enum ControlHost: Sendable, Equatable {
        /// virtio_rpmsg_bus makes `virtioK.NAME.0.0` and the driver of that name binds it (5.13+).
        case virtioDevice(named: String)
        /// Under a channel bound to rpmsg_chrdev (TI 5.10; mainline before 5.13 through driver_override).
        case boundChannel
    }

    public var release: String
    public var vdevParent: VdevParent
    public var controlHost: ControlHost
    /// Whether the name service is a device of its own, `virtioK.rpmsg_ns.53.53` (5.11+).
    public var hasNameServiceDevice: Bool
    /// `rpmsg_ctrl` and `rpmsg_char` majors (5.18+) instead of one `rpmsg` major.
    public var splitsCharacterMajors: Bool
    /// Drivers registered on the rpmsg bus at boot.
    public var busDrivers: [String]

    public init(release: String, vdevParent: VdevParent, controlHost: ControlHost, hasNameServiceDevice: Bool,
                splitsCharacterMajors: Bool, busDrivers: [String]) {
        self.release = release
        self.vdevParent = vdevParent
        self.controlHost = controlHost
        self.hasNameServiceDevice = hasNameServiceDevice
        self.splitsCharacterMajors = splitsCharacterMajors
        self.busDrivers = busDrivers
    }

    public static let mainline6_1 = KernelStyle(
        release: "6.1.0-27-arm64", vdevParent: .rprocVirtio, controlHost: .virtioDevice(named: "rpmsg_ctrl"),
        hasNameServiceDevice: true, splitsCharacterMajors: true,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ctrl", "rpmsg_ns", "rpmsg_tty"]
    )

    public static let mainline6_0 = KernelStyle(
        release: "6.0.12", vdevParent: .vdevBuffer, controlHost: .virtioDevice(named: "rpmsg_ctrl"),
        hasNameServiceDevice: true, splitsCharacterMajors: true,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ctrl", "rpmsg_ns", "rpmsg_tty"]
    )

    public static let mainline5_15 = KernelStyle(
        release: "5.15.148", vdevParent: .vdevBuffer, controlHost: .virtioDevice(named: "rpmsg_chrdev"),
        hasNameServiceDevice: true, splitsCharacterMajors: false,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ns"]
    )

    public static let mainline5_10 = KernelStyle(
        release: "5.10.209", vdevParent: .vdevBuffer, controlHost: .boundChannel,
        hasNameServiceDevice: false, splitsCharacterMajors: false,
        busDrivers: ["rpmsg_chrdev"]
    )

    public static let ti5_10 = KernelStyle(
        release: "5.10.168-g2c23e6c538", vdevParent: .vdevBuffer, controlHost: .boundChannel,
        hasNameServiceDevice: false, splitsCharacterMajors: false,
        busDrivers: ["rpmsg_chrdev"]
    )

    /// NXP linux-imx: the vdevs of imx_rpmsg hang straight under its platform device, so `vdevParent` is unused.
    public static let nxp5_10 = KernelStyle(
        release: "5.10.72-2.2.0+g0d1c1b1", vdevParent: .vdevBuffer, controlHost: .boundChannel,
        hasNameServiceDevice: false, splitsCharacterMajors: false,
        busDrivers: ["imx_rpmsg_tty", "rpmsg_chrdev"]
    )

    public static let nxp5_15 = KernelStyle(
        release: "5.15.77-6.2.0+git.aa0ff7e3554e", vdevParent: .vdevBuffer, controlHost: .virtioDevice(named: "rpmsg_chrdev"),
        hasNameServiceDevice: true, splitsCharacterMajors: false,
        busDrivers: ["imx_rpmsg_tty", "rpmsg_chrdev", "rpmsg_ns"]
    )

    /// TI's ti-linux 6.1 (AM62x, AM64x): the ctrl under `virtioK.rpmsg_ctrl.0.0`, and rpmsg_char also binds the
    /// firmware's `rpmsg_chrdev` channel with a channel-bound endpoint device.
    public static let ti6_1 = KernelStyle(
        release: "6.1.80-ti-g2e423244f8c0", vdevParent: .rprocVirtio, controlHost: .virtioDevice(named: "rpmsg_ctrl"),
        hasNameServiceDevice: true, splitsCharacterMajors: true,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ctrl", "rpmsg_ns"]
    )

    /// ST's OpenSTLinux 5.15 (STM32MP1): mainline 5.15's layout with rpmsg_tty backported.
    public static let st5_15 = KernelStyle(
        release: "5.15.118-stm32mp-r2", vdevParent: .vdevBuffer, controlHost: .virtioDevice(named: "rpmsg_chrdev"),
        hasNameServiceDevice: true, splitsCharacterMajors: false,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ns", "rpmsg_tty"]
    )

    /// Xilinx's linux-xlnx 6.1 (ZynqMP, Versal).
    public static let xilinx6_1 = KernelStyle(
        release: "6.1.30-xilinx-v2023.2", vdevParent: .rprocVirtio, controlHost: .virtioDevice(named: "rpmsg_ctrl"),
        hasNameServiceDevice: true, splitsCharacterMajors: true,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ctrl", "rpmsg_ns"]
    )

    /// NXP's linux-imx 6.6 with the mainline imx_rproc (i.MX8MP, i.MX93, i.MX8ULP).
    public static let nxp6_6 = KernelStyle(
        release: "6.6.36-lts-next-g2a3c6a8b4c5d", vdevParent: .rprocVirtio, controlHost: .virtioDevice(named: "rpmsg_ctrl"),
        hasNameServiceDevice: true, splitsCharacterMajors: true,
        busDrivers: ["rpmsg_chrdev", "rpmsg_ctrl", "rpmsg_ns", "rpmsg_tty"]
    )
}
