/// Failure modes 5, 6, 13 and 14: what the kernel build or its drivers leave out.
enum KernelRules {
    /// Channel names that known drivers bind, in a fixed order. rpmsg_chrdev binds rpmsg-raw only from 5.18.
    static func knownDriverIDs(_ system: SystemContext) -> [(driver: String, id: String)] {
        var ids = [
            ("rpmsg_tty", "rpmsg-tty"),
            ("imx_rpmsg_tty", "rpmsg-virtual-tty-channel"),
            ("imx_rpmsg_tty", "rpmsg-virtual-tty-channel-1"),
            ("imx_rpmsg_tty", "rpmsg-openamp-demo-channel"),
            ("rpmsg_client_sample", "rpmsg-client-sample"),
        ]
        if system.kernelIsAtLeast(5, 18) != false { ids.insert(("rpmsg_chrdev", "rpmsg-raw"), at: 0) }
        return ids
    }

    static func findings(_ index: TopologyIndex) -> [Finding] {
        let snapshot = index.snapshot
        guard snapshot.system.rpmsgBusPresent != false || !snapshot.virtioDevices.isEmpty else { return [noRpmsgBus(snapshot)] }
        var findings: [Finding] = []
        let withoutControl = snapshot.virtioDevices.filter { index.controls(on: $0.name).isEmpty }
        if !withoutControl.isEmpty { findings.append(noControl(withoutControl, index)) }
        findings += snapshot.virtioDevices.filter { $0.offersNameService == false }.map { noNameService($0, index) }
        findings += index.announcedChannels.filter { $0.driver == nil }.map { channelWithoutDriver($0, index) }
        return findings
    }

    private static func noRpmsgBus(_ snapshot: Snapshot) -> Finding {
        Finding(
            .noRpmsgBus, .error, "This kernel has no rpmsg bus: /sys/bus/rpmsg does not exist",
            evidence: ["kernel \(snapshot.system.kernelRelease ?? "unknown")", "/sys/bus/rpmsg: missing", "/sys/class/rpmsg: \(snapshot.system.rpmsgClassPresent == true ? "present" : "missing")"],
            fix: "Enable CONFIG_RPMSG_VIRTIO (and your SoC's remoteproc or vendor rpmsg driver), or load the modules.",
            commands: ["zcat /proc/config.gz | grep -E 'RPMSG|REMOTEPROC'", "sudo modprobe virtio_rpmsg_bus"]
        )
    }

    private static func noControl(_ virtios: [VirtioDevice], _ index: TopologyIndex) -> Finding {
        let snapshot = index.snapshot
        let drivers = snapshot.drivers.map(\.name)
        // Without a ctrl, only ttys and channel endpoints (rpmsg-raw) remain: an error only when neither is there.
        let names = Set(virtios.map(\.name))
        let otherWays = snapshot.ttys.filter { names.contains($0.virtio ?? "") }.map(\.node.path)
            + snapshot.endpointDevices.filter { names.contains($0.virtio ?? "") && $0.control == nil }.map(\.node.path)
        let kernel = snapshot.system
        var evidence = virtios.map { "\($0.name) (\($0.sysfsPath)) has no rpmsg_ctrl device below it" }
        evidence.append("kernel \(kernel.kernelRelease ?? "unknown"); rpmsg drivers registered: \(drivers.isEmpty ? "none" : drivers.joined(separator: ", "))")
        if !otherWays.isEmpty { evidence.append("still usable without a ctrl: \(otherWays.joined(separator: ", "))") }
        let fix: String
        let commands: [String]
        if kernel.kernelIsAtLeast(5, 13) == false {
            let channel = snapshot.channels.first { $0.role == .announced && virtios.map(\.name).contains($0.virtio ?? "") }
            let device = channel?.deviceName ?? "CHANNEL"
            fix = "Before 5.13 virtio makes no control device: bind a channel to rpmsg_chrdev with driver_override (4.18+), or upgrade the kernel."
            commands = [
                "echo rpmsg_chrdev | sudo tee /sys/bus/rpmsg/devices/\(device)/driver_override",
                "echo \(device) | sudo tee /sys/bus/rpmsg/drivers/rpmsg_chrdev/bind",
            ]
        } else if kernel.kernelIsAtLeast(5, 18) != false {
            fix = "From 5.18 the control device comes from the rpmsg_ctrl driver (CONFIG_RPMSG_CTRL) and endpoints from rpmsg_char (CONFIG_RPMSG_CHAR)."
            commands = ["sudo modprobe rpmsg_ctrl", "sudo modprobe rpmsg_char", "zcat /proc/config.gz | grep -E 'RPMSG_(CTRL|CHAR)'"]
        } else if drivers.contains("rpmsg_chrdev") {
            fix = "On 5.13 to 5.17 rpmsg_char makes a control device per virtio device when it probes; it is registered, so the virtio device came up without it: look at the kernel log for its errors."
            commands = ["dmesg | grep -iE 'rpmsg_chrdev|rpmsg_char'"]
        } else {
            fix = "On 5.13 to 5.17 the control device comes from rpmsg_char (CONFIG_RPMSG_CHAR)."
            commands = ["sudo modprobe rpmsg_char", "zcat /proc/config.gz | grep RPMSG_CHAR"]
        }
        return Finding(
            .noControlDevices, otherWays.isEmpty ? .error : .warning,
            "No control device for \(virtios.map(\.name).joined(separator: ", ")): /dev/rpmsg_ctrl* cannot reach \(virtios.count == 1 ? "it" : "them")",
            evidence: evidence, fix: fix, commands: commands
        )
    }

    private static func noNameService(_ virtio: VirtioDevice, _ index: TopologyIndex) -> Finding {
        let nameService = index.snapshot.channels.filter { $0.virtio == virtio.name && $0.role == .nameService }
        return Finding(
            .noNameService, .warning,
            "The remote on \(virtio.name) does not offer the name service: it cannot announce channels",
            evidence: ["\(virtio.sysfsPath)/features: \(virtio.features ?? "?") (bit 0, VIRTIO_RPMSG_F_NS, is 0)",
                       nameService.isEmpty ? "no name-service device (\(virtio.name).rpmsg_ns.53.53) on \(virtio.name)" : "name-service device: \(nameService[0].deviceName)"],
            fix: "Set bit 0 (VIRTIO_RPMSG_F_NS) of the rpmsg vdev's dfeatures in the firmware's resource table (NXP SDK and Zephyr: RPMSG_IPU_C0_FEATURES 1), or create endpoints with the remote's address agreed in advance (--dst)."
        )
    }

    private static func channelWithoutDriver(_ channel: Channel, _ index: TopologyIndex) -> Finding {
        let registered = index.snapshot.drivers.map(\.name)
        let nearMiss = knownDriverIDs(index.snapshot.system).first { driver, id in
            registered.contains(driver) && id != channel.name && (channel.name.hasPrefix(id) || id.hasPrefix(channel.name))
        }
        let controls = index.controlList(on: channel.virtio)
        return Finding(
            .channelWithoutDriver, nearMiss == nil ? .info : .warning,
            nearMiss.map { "Channel \(channel.label) has no driver: its name is close to \"\($0.id)\", which \($0.driver) binds" }
                ?? (index.controls(on: channel.virtio).isEmpty
                    ? "Channel \(channel.label) has no driver bound, and its virtio device no control device"
                    : "Channel \(channel.label) has no driver bound: reach it through \(controls)"),
            evidence: ["\(channel.sysfsPath)/driver: missing", "rpmsg drivers registered: \(registered.isEmpty ? "none" : registered.joined(separator: ", "))"],
            fix: nearMiss == nil
                ? "Nothing binds this name, which is normal when your application creates its own endpoint through the control device."
                : "Driver matching compares the whole name: rename the channel in the firmware, or force the driver with driver_override.",
            commands: nearMiss.map { ["echo \($0.driver) | sudo tee \(channel.sysfsPath)/driver_override", "echo '\(channel.deviceName)' | sudo tee /sys/bus/rpmsg/drivers/\($0.driver)/bind"] } ?? []
        )
    }
}
