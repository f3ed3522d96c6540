// Failure modes 5, 6, 13 and 14: what the kernel build or its drivers leave out.

struct NoRpmsgBusRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noRpmsgBus]

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard !context.rpmsgBusPresent else { return [] }
        let system = context.snapshot.system
        return [Finding(
            .noRpmsgBus, "This kernel has no rpmsg bus: /sys/bus/rpmsg does not exist",
            evidence: ["kernel \(system.kernelRelease ?? "unknown")", "/sys/bus/rpmsg: missing", "/sys/class/rpmsg: \(system.rpmsgClassPresent == true ? "present" : "missing")"],
            remedy: .enableRpmsgBus
        )]
    }
}

struct NoControlRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noControlDevices]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let index = context.index
        let snapshot = context.snapshot
        let virtios = snapshot.virtioDevices.filter { index.controls(on: $0.name).isEmpty }
        guard context.rpmsgBusPresent, !virtios.isEmpty else { return [] }
        let drivers = snapshot.drivers.map(\.name)
        // Without a ctrl, only ttys and channel endpoints (rpmsg-raw) remain: an error only when neither is there.
        let names = Set(virtios.map(\.name))
        let otherWays = snapshot.ttys.filter { names.contains($0.virtio ?? "") }.map(\.node.path)
            + snapshot.endpointDevices.filter { names.contains($0.virtio ?? "") && $0.control == nil }.map(\.node.path)
        let kernel = snapshot.system
        var evidence = virtios.map { "\($0.name) (\($0.sysfsPath)) has no rpmsg_ctrl device below it" }
        evidence.append("kernel \(kernel.kernelRelease ?? "unknown"); rpmsg drivers registered: \(drivers.isEmpty ? "none" : drivers.joined(separator: ", "))")
        if !otherWays.isEmpty { evidence.append("still usable without a ctrl: \(otherWays.joined(separator: ", "))") }
        let generation: Remedy.ControlGeneration
        if kernel.kernelIsAtLeast(5, 13) == false {
            let channel = snapshot.channels.first { $0.role == .announced && names.contains($0.virtio ?? "") }
            generation = .driverOverride(channelDevice: channel?.deviceName ?? "CHANNEL")
        } else if kernel.kernelIsAtLeast(5, 18) != false {
            generation = .rpmsgCtrl
        } else {
            generation = .rpmsgChar(registered: drivers.contains("rpmsg_chrdev"))
        }
        return [Finding(
            .noControlDevices, severity: otherWays.isEmpty ? .error : .warning,
            "No control device for \(virtios.map(\.name).joined(separator: ", ")): /dev/rpmsg_ctrl* cannot reach \(virtios.count == 1 ? "it" : "them")",
            evidence: evidence, remedy: .getControlDevice(generation)
        )]
    }
}

struct NoNameServiceRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noNameService]

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard context.rpmsgBusPresent else { return [] }
        return context.snapshot.virtioDevices.filter { $0.offersNameService == false }.map { virtio in
            let nameService = context.snapshot.channels.first { $0.virtio == virtio.name && $0.role == .nameService }
            return Finding(
                .noNameService, "The remote on \(virtio.name) does not offer the name service: it cannot announce channels",
                evidence: ["\(virtio.sysfsPath)/features: \(virtio.features ?? "?") (bit 0, VIRTIO_RPMSG_F_NS, is 0)",
                           nameService.map { "name-service device: \($0.deviceName)" } ?? "no name-service device (\(virtio.name).rpmsg_ns.53.53) on \(virtio.name)"],
                remedy: .offerNameService
            )
        }
    }
}

struct ChannelWithoutDriverRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.channelWithoutDriver]

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

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard context.rpmsgBusPresent else { return [] }
        return context.index.announcedChannels.filter { $0.driver == nil }.map { finding($0, context.index) }
    }

    private func finding(_ channel: Channel, _ index: TopologyIndex) -> Finding {
        let registered = index.snapshot.drivers.map(\.name)
        let nearMiss = Self.knownDriverIDs(index.snapshot.system).first { driver, id in
            registered.contains(driver) && id != channel.name && (channel.name.hasPrefix(id) || id.hasPrefix(channel.name))
        }
        let evidence = ["\(channel.sysfsPath)/driver: missing", "rpmsg drivers registered: \(registered.isEmpty ? "none" : registered.joined(separator: ", "))"]
        if let nearMiss {
            return Finding(
                .channelWithoutDriver, severity: .warning,
                "Channel \(channel.label) has no driver: its name is close to \"\(nearMiss.id)\", which \(nearMiss.driver) binds",
                evidence: evidence, remedy: .bindDriver(nearMiss.driver, to: channel)
            )
        }
        return Finding(
            .channelWithoutDriver,
            index.controls(on: channel.virtio).isEmpty
                ? "Channel \(channel.label) has no driver bound, and its virtio device no control device"
                : "Channel \(channel.label) has no driver bound: reach it through \(index.controlList(on: channel.virtio))",
            evidence: evidence, remedy: .ownEndpoint
        )
    }
}
