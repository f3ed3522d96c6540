import RpmsgDoctorCore

/// Whole boards, one per kernel layout: mainline 6.1+ (a), 5.1 to 6.0 (b), 5.13 to 5.17 (c), before 5.13 (d),
/// TI 5.10 (e) and NXP imx_rpmsg (f), plus the canonical i.MX8QM case. Each returns a built board; the caller
/// removes it. The doc comment of each lists what it holds, so tests can name what they expect.
public enum Recipes {
    /// An STM32MP15-style Cortex-M4 under remoteproc: `soc/10000000.m4`, remoteproc0 "m4".
    static func stm32RemoteProcessor(_ board: Board) throws -> SysfsDevice {
        let platform = try board.addPlatformDevice("soc/10000000.m4", driver: "stm32-rproc")
        return try board.addRemoteProcessor(under: platform, processorName: "m4")
    }
}
