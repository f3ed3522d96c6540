// Failure modes 5, 6, 13 and 14: what the kernel build or its drivers leave out.

struct NoRpmsgBusRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noRpmsgBus]

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard !context.rpmsgBusPresent else { return [] }
        let system = context.snapshot.system
        return [Finding(
            .noRpmsgBus, "This kernel has no rpmsg bus: /sys/bus/rpmsg does not exist",
            evidence: ["kernel \(system.kernelRelease ?? "unknown")", "/sys/bus/rpmsg: missing", "/sys/class/rpmsg: \(system.rpmsgClassPresent == true ? "present" : "missing")"]
                + context.configEvidence(["RPMSG_VIRTIO", "RPMSG", "REMOTEPROC"]),
            remedy: context.optionsNotBuilt(["RPMSG_VIRTIO"]).map { .rebuildKernel(with: $0) } ?? .enableRpmsgBus
        )]
    }
}

struct NoControlRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noControlDevices]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let index = context.index
        let snapshot = context.snapshot
        // Below a virtio device no driver took nothing rpmsg can exist: RD412 says so.
        let virtios = snapshot.virtioDevices.filter { $0.driver != nil && index.controls(on: $0.name).isEmpty }
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
            evidence: evidence + context.configEvidence(generation.options),
            remedy: context.optionsNotBuilt(generation.options).map { .rebuildKernel(with: $0) } ?? .getControlDevice(generation)
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
                           nameService.map { "name-service device: \($0.deviceName)" } ?? "no name-service device (\(virtio.name).rpmsg_ns.53.53) on \(virtio.name)"]
                    + context.resourceTableEvidence(forRemotes: virtio.remoteProcessor.map { [$0] } ?? []),
                remedy: .offerNameService
            )
        }
    }
}

struct ChannelWithoutDriverRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.channelWithoutDriver]

    func findings(in context: DiagnosisContext) -> [Finding] {
        guard context.rpmsgBusPresent else { return [] }
        let drivers = Drivers(context)
        return context.index.announcedChannels.filter { $0.driver == nil }.map { finding($0, drivers, context) }
    }

    /// What binds what on this system, worked out once per scan: there may be thousands of channels.
    private struct Drivers {
        let registeredNames: [String]
        let registered: Set<String>
        /// Every id, and whether a driver here binds it.
        let ids: [(id: RpmsgDriverID, binds: Bool)]

        init(_ context: DiagnosisContext) {
            registeredNames = context.snapshot.drivers.map(\.name)
            let registered = Set(registeredNames)
            self.registered = registered
            ids = RpmsgDriverID.all.map { ($0, $0.binds(on: context.snapshot.system, registered: registered)) }
        }
    }

    private func finding(_ channel: Channel, _ drivers: Drivers, _ context: DiagnosisContext) -> Finding {
        let index = context.index
        let system = context.snapshot.system
        let registeredNames = drivers.registeredNames
        let registered = drivers.registered
        var evidence = ["\(channel.sysfsPath)/driver: missing", "modalias: rpmsg:\(channel.name)",
                        "rpmsg drivers registered: \(registeredNames.isEmpty ? "none" : registeredNames.joined(separator: ", "))"]
        if let (exact, binds) = drivers.ids.first(where: { $0.id.name == channel.name && ($0.binds || $0.id.onlyIn != nil) }) {
            evidence.append("\(exact.driver) binds \"\(exact.name)\" (\(exact.source))")
            guard binds else {
                return Finding(
                    .channelWithoutDriver, "Channel \(channel.label) has no driver bound: \(index.controls(on: channel.virtio).isEmpty ? "its virtio device has no control device" : "reach it through \(index.controlList(on: channel.virtio))")",
                    evidence: evidence, remedy: .optionalDriver(exact)
                )
            }
            guard registered.contains(exact.driver) else {
                if !system.loadedModules.isEmpty { evidence.append("/proc/modules: no \(exact.module)") }
                return Finding(
                    .channelWithoutDriver, severity: .warning,
                    "Channel \(channel.label) has no driver: \(exact.driver), which binds it, is not loaded (module \(exact.module))",
                    evidence: evidence + context.configEvidence([exact.configOption]),
                    remedy: context.optionsNotBuilt([exact.configOption]).map { .rebuildKernel(with: $0) } ?? .loadModule(exact.module)
                )
            }
            return Finding(
                .channelWithoutDriver, severity: .warning,
                "Channel \(channel.label) has no driver, though \(exact.driver), which binds it, is registered",
                evidence: evidence + (channel.driverOverride.map { ["driver_override: \($0)"] } ?? []),
                remedy: .bindDriver(exact.driver, to: channel)
            )
        }
        let nearMiss = drivers.ids.first { id, binds in
            binds && !channel.name.isEmpty && id.name != channel.name && (channel.name.hasPrefix(id.name) || id.name.hasPrefix(channel.name))
        }?.id
        if let nearMiss {
            return Finding(
                .channelWithoutDriver, severity: .warning,
                "Channel \(channel.label) has no driver: its name is close to \"\(nearMiss.name)\", which \(nearMiss.driver) binds",
                evidence: evidence,
                remedy: .bindDriver(nearMiss.driver, to: channel, loading: registered.contains(nearMiss.driver) ? nil : nearMiss.module)
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

extension DiagnosisContext {
    /// "CONFIG_RPMSG_CTRL=m (/proc/config.gz)" for each option the running kernel's configuration names.
    func configEvidence(_ options: [String]) -> [String] {
        guard let config = snapshot.system.kernelConfig else { return [] }
        return options.map { option in
            config[option].map { $0 == "n" ? "CONFIG_\(option) is not set (/proc/config.gz)" : "CONFIG_\(option)=\($0) (/proc/config.gz)" }
                ?? "CONFIG_\(option) is not in /proc/config.gz (this kernel does not have it)"
        }
    }

    /// The options the running kernel was built without, when its configuration says so.
    func optionsNotBuilt(_ options: [String]) -> [String]? {
        guard let config = snapshot.system.kernelConfig else { return nil }
        let missing = options.filter { (config[$0] ?? "n") == "n" }
        return missing.isEmpty ? nil : missing
    }
}
