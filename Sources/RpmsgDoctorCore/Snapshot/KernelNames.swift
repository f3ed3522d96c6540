/// How the kernel and udev name things, which discovery, diagnosis and the probe all rely on.
public enum KernelNames {
    /// "virtio1" is numbered with prefix "virtio"; "virtio", "virtio1a" and "virtio-mmio" are not.
    public static func isNumbered(_ name: String, prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.count > prefix.count && name.dropFirst(prefix.count).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The ttys rpmsg drivers make: rpmsg_tty's ttyRPMSGn and NXP's ttyRPMSG<dst>.
    public static func isRpmsgTTY(_ name: String) -> Bool { name.hasPrefix("ttyRPMSG") }

    /// NXP's imx_rpmsg_tty registers its tty without a parent device and names it after the remote address:
    /// ttyRPMSG30 belongs to the channel that driver bound at dst 30.
    public static func isImxTTY(named ttyName: String, ofChannelBoundBy driver: String?, at dst: RpmsgAddress?) -> Bool {
        guard driver == "imx_rpmsg_tty", let dst, let number = UInt32(ttyName.dropFirst("ttyRPMSG".count)) else { return false }
        return RpmsgAddress(number) == dst
    }

    /// Where udev reads rules files from, in its order of precedence.
    public static let udevRulesDirectories = ["/etc/udev/rules.d", "/run/udev/rules.d", "/lib/udev/rules.d", "/usr/lib/udev/rules.d"]
}
