// Failure modes 11 and 12 as the resource table Linux holds shows them (debugfs, read by root only): a core that
// runs without a table, and an rpmsg vdev whose setup Linux never finished, which the remote waits for.

/// Mode 11 from the table itself: the log line may have left the ring buffer, and the boot goes on without one.
struct MissingResourceTableRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.noResourceTable]

    func findings(in context: DiagnosisContext) -> [Finding] {
        context.remotesWithoutResourceTable.map { remote in
            Finding(
                .noResourceTable, "\(remote.label) runs firmware without a resource table: it has no rpmsg device",
                evidence: ["\(remote.resourceTable?.path ?? "resource_table"): No resource table found",
                           "\(remote.sysfsPath)/state: \(remote.state ?? "?")", "firmware: \(remote.firmware ?? "?")"]
                    + context.logLines(raising: .noResourceTable, about: remote.logNames),
                remedy: .addResourceTable
            )
        }
    }
}

/// Linux writes the virtio status into the table as virtio_rpmsg_bus sets the vdev up; the remote waits for DRIVER_OK.
/// Without the table (no root), sysfs still shows an rpmsg virtio device that no driver took.
struct VirtioNotReadyRule: DiagnosisRule {
    let codes: Set<FindingCode> = [.virtioNotReady]

    func findings(in context: DiagnosisContext) -> [Finding] {
        let covered = Set(context.unreadyVdevs.map(\.remote.name))
        return tableFindings(context.unreadyVdevs, context) + context.snapshot.virtioDevices.filter { $0.driver == nil && !covered.contains($0.remoteProcessor ?? "") }.map { virtio in
            let owner = context.snapshot.remoteProcessors.first { $0.name == virtio.remoteProcessor }?.label ?? virtio.transportParent ?? "its transport"
            let failedProbe = context.log.lines.contains { $0.device == virtio.name && $0.isProbeFailure }
            let system = context.snapshot.system
            let registered = system.virtioRpmsgDriverRegistered == true
            let stop: Remedy.VirtioSetupStop = failedProbe ? .unfinished
                : registered ? .unbound(device: virtio.name)
                : system.loadedModules.contains("virtio_rpmsg_bus") || system.kernelConfig?["RPMSG_VIRTIO"] == "y" ? .unfinished
                : .noDriver(missingOptions: context.optionsNotBuilt(["RPMSG_VIRTIO"]))
            let driverPresent = if case .noDriver = stop { false } else { true }
            return Finding(
                .virtioNotReady,
                driverPresent ? "virtio_rpmsg_bus did not take \(virtio.name), the rpmsg device of \(owner): no channel can come up"
                    : "No driver took \(virtio.name), the rpmsg device of \(owner): no channel can come up",
                evidence: ["\(virtio.sysfsPath): device \(virtio.deviceID ?? "?") (rpmsg), no driver bound",
                           "/sys/bus/virtio/drivers/virtio_rpmsg_bus: " + (registered ? "registered" : system.virtioRpmsgDriverRegistered == false ? "missing" : "not read")]
                    + context.configEvidence(["RPMSG_VIRTIO"]) + (context.log.matches("\(virtio.name):", "probe of \(virtio.name) ") ?? []),
                remedy: .finishVirtioSetup(stop)
            )
        }
    }

    private func tableFindings(_ unready: [UnreadyVdev], _ context: DiagnosisContext) -> [Finding] {
        unready.map { remote, table, vdev in
            let badVrings = vdev.vrings.enumerated().filter { !$0.element.hasValidSize }
            let stop: Remedy.VirtioSetupStop
            let summary: String
            var evidence = ["\(table.path): rpmsg vdev (entry \(vdev.entry)) status \(vdev.status.map(VirtioStatus.text) ?? "?")",
                            "vrings: " + vdev.vrings.map { $0.buffers.map { "\($0) buffers" } ?? "?" }.joined(separator: ", ")]
            evidence += badVrings.map { "vring \($0.offset): \($0.element.buffers ?? 0) buffers is not a power of two, which virtio refuses" }
            if vdev.failed {
                stop = .probeFailed(badVrings: !badVrings.isEmpty)
                summary = "virtio_rpmsg_bus failed to set up the rpmsg device of \(remote.label): no channel can come up"
                evidence += context.log.matches("vring", "virtqueue") ?? []
            } else if (vdev.status ?? 0) & VirtioStatus.driver == 0 {
                stop = .noDriver(missingOptions: context.optionsNotBuilt(["RPMSG_VIRTIO"]))
                summary = "No virtio driver took the rpmsg device of \(remote.label): the remote waits for DRIVER_OK forever"
                evidence += context.configEvidence(["RPMSG_VIRTIO"])
            } else {
                stop = .unfinished
                summary = "virtio_rpmsg_bus never finished setting up the rpmsg device of \(remote.label)"
            }
            return Finding(.virtioNotReady, summary, evidence: evidence, remedy: .finishVirtioSetup(stop))
        }
    }
}

extension RemoteProcessor {
    /// Running or attached: Linux and the firmware share the resource table now. After a stop or a detach the
    /// kernel shows a clean copy, which says nothing about the firmware.
    var sharesResourceTable: Bool { state == "running" || state == "attached" }

    /// The names the kernel log gives this core: "remoteproc0", or its platform device ("10000000.m4").
    var logNames: [String] { [name] + (platformDevice.map { [$0] } ?? []) }
}

/// An rpmsg vdev of a running core whose status lacks DRIVER_OK or carries FAILED, with where it was read.
typealias UnreadyVdev = (remote: RemoteProcessor, table: ResourceTable, vdev: VdevResource)

extension MissingResourceTableRule {
    static func remotesWithoutResourceTable(in snapshot: Snapshot) -> [RemoteProcessor] {
        snapshot.remoteProcessors.filter { $0.sharesResourceTable && $0.resourceTable?.readable == true && $0.resourceTable?.found == false }
    }
}

extension VirtioNotReadyRule {
    static func unreadyVdevs(in snapshot: Snapshot) -> [UnreadyVdev] {
        snapshot.remoteProcessors.filter(\.sharesResourceTable).flatMap { remote -> [UnreadyVdev] in
            guard let table = remote.resourceTable, table.readable else { return [] }
            return table.rpmsgVdevs.filter { $0.driverReady == false || $0.failed }.map { (remote, table, $0) }
        }
    }
}

extension DiagnosisContext {
    /// The kernel log lines about these devices that the log patterns of a code match, for rules that raise that
    /// code from the system itself.
    func logLines(raising code: FindingCode, about devices: [String]) -> [String] {
        let patterns = KernelLogPattern.all.filter { $0.code == code }
        return log.lines.filter { line in devices.contains(line.device ?? "") && patterns.contains { $0.matches(line) } }.suffix(5).map(\.text)
    }

    /// What the tables of the cores behind these virtio devices say about a vdev: one line per rpmsg vdev.
    func resourceTableEvidence(forRemotes names: [String]) -> [String] {
        snapshot.remoteProcessors.filter { names.contains($0.name) && $0.sharesResourceTable }.flatMap { remote -> [String] in
            guard let table = remote.resourceTable else { return [] }
            guard table.readable else { return ["\(remote.label) resource table not read: \(table.reason ?? "unknown reason")"] }
            return table.rpmsgVdevs.map { vdev in
                "\(table.path): rpmsg vdev (entry \(vdev.entry)) device features \(vdev.deviceFeatures?.hexText ?? "?"), status \(vdev.status.map(VirtioStatus.text) ?? "?")"
            }
        }
    }
}
