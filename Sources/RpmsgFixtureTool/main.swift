import Foundation
import RpmsgFixtures

/// Builds a fixture board (a directory shaped like one kernel's /sys, /dev, /proc and /etc) and prints its
/// path, so that `rpmsg-doctor scan --root PATH` can be tried on layouts one has no hardware for.
/// The tree stays until the caller removes it.
let recipes: [(name: String, summary: String, build: () throws -> Board)] = [
    ("imx8qm-canonical", "i.MX8QM, NXP imx_rpmsg on 5.15: channel on virtio1, endpoint made through rpmsg_ctrl0", { try Recipes.imx8qmCanonical() }),
    ("mainline-6.1", "remoteproc, rproc-virtio parents, rpmsg_ctrl, rpmsg-raw, rpmsg-tty", { try Recipes.mainline6_1() }),
    ("mainline-6.1-reversed", "as mainline-6.1 with rpmsg_ctrl0 under virtio1", { try Recipes.mainline6_1(controlsProbedInReverse: true) }),
    ("mainline-6.0", "remoteprocM#vdevJbuffer parents", { try Recipes.mainline6_0() }),
    ("mainline-5.15", "ctrl under virtioK.rpmsg_chrdev.0.0", { try Recipes.mainline5_15() }),
    ("mainline-5.10", "no ctrl from virtio; a channel bound to rpmsg_chrdev with driver_override", { try Recipes.mainline5_10() }),
    ("ti-5.10", "TI: ctrl under the announced channel", { try Recipes.ti5_10() }),
    ("nxp-5.10", "NXP imx_rpmsg without remoteproc, 5.10", { try Recipes.nxpImxRpmsg(kernel: .nxp5_10) }),
    ("ti-am64x-crashed-r5f", "TI AM64x 5.10: the R5F crashed, its channels gone", { try FieldRecipes.tiAM64xCrashedR5F() }),
    ("ti-am62x", "TI AM62x 6.1: two cores, ctrl per virtio, channel-bound rpmsg_chrdev endpoints", { try FieldRecipes.tiAM62x() }),
    ("stm32mp1-5.15", "STM32MP1 OpenSTLinux 5.15: rpmsg-tty bound to the backported rpmsg_tty", { try FieldRecipes.stm32mp1() }),
    ("stm32mp1-old-tty-name", "STM32MP1 5.15: firmware announces rpmsg-tty-channel, which nothing binds", { try FieldRecipes.stm32mp1(channelName: "rpmsg-tty-channel") }),
    ("zynqmp", "ZynqMP linux-xlnx 6.1: R5F core ff9a0000.rf5ss:r5f_0 with the OpenAMP echo channel", { try FieldRecipes.zynqmp() }),
    ("imx8mp-attached", "i.MX8MP 6.6: Cortex-M7 started by U-Boot, attached", { try FieldRecipes.imxAttached(core: "imx8mp-cm7") }),
    ("imx93-attached", "i.MX93 6.6: Cortex-M33 started by U-Boot, attached", { try FieldRecipes.imxAttached(core: "imx93-cm33") }),
    ("imx8ulp", "i.MX8ULP 6.6: the DSP (remoteproc1) on virtio2", { try FieldRecipes.imx8ulp() }),
    ("imx8mm-probe-failed", "i.MX8MM 5.15: legacy imx_rpmsg without its reserved memory", { try FieldRecipes.imx8mmLegacyProbeFailed() }),
    ("imx8mm-deferred", "i.MX8MM 5.15: legacy imx_rpmsg waiting for its mailbox (devices_deferred)", { try FieldRecipes.imx8mmLegacyWaitingForMailbox() }),
    ("stm32mp1-rsc-table", "STM32MP1 5.15, healthy, with the M4's resource table in debugfs", { try FieldRecipes.stm32mp1WithResourceTable() }),
    ("stm32mp1-no-rsc-table", "STM32MP1 5.15: the M4 runs firmware without a resource table", { try FieldRecipes.stm32mp1WithoutResourceTable() }),
    ("imx93-own-rsc-table", "i.MX93 6.6, attached: DRIVER_OK in Linux's copy, the firmware waits on its own", { try FieldRecipes.imx93WaitingOnItsOwnTable() }),
    ("zynqmp-bad-vrings", "ZynqMP 6.1: vrings of 12 buffers, virtio_rpmsg_bus failed", { try FieldRecipes.zynqmpWithBadVrings() }),
    ("hostile-names", "channel names with quotes, newlines, escape sequences, invalid UTF-8", { try BrokenRecipes.hostileChannelNames() }),
    ("malformed-attributes", "garbage, empty and missing sysfs attributes", { try BrokenRecipes.malformedAttributes() }),
]

@MainActor func usage() -> String {
    "usage: rpmsg-doctor-fixture RECIPE\nrecipes:\n" + recipes.map { "  \($0.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n")
        + "\n  benchmark-VxC          V virtio devices with C channels and endpoints each (the scan benchmark's boards)"
}

/// "benchmark-64x64" builds the scan benchmark's board of that size.
func benchmarkRecipe(_ name: String) -> (() throws -> Board)? {
    guard name.hasPrefix("benchmark-") else { return nil }
    let sizes = name.dropFirst("benchmark-".count).split(separator: "x").compactMap { Int($0) }
    guard sizes.count == 2, sizes.allSatisfy({ (1...4096).contains($0) }) else { return nil }
    return { try Recipes.benchmark(virtioCount: sizes[0], channelsPerVirtio: sizes[1]) }
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let build = recipes.first(where: { $0.name == arguments.first })?.build ?? benchmarkRecipe(arguments.first!) else {
    FileHandle.standardError.write(Data((usage() + "\n").utf8))
    exit(64)
}
do {
    let root = try build().root
    // mkdtemp makes it 0700; the point is to scan it as an ordinary user too.
    chmod(root, 0o755)
    print(root)
} catch {
    FileHandle.standardError.write(Data("rpmsg-doctor-fixture: \(error)\n".utf8))
    exit(2)
}
