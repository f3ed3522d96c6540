import Testing
@testable import RpmsgDoctorCore

@Suite struct DiagnosisNodeTests {
    @Test func rootOnlyNodesDenyAnOrdinaryUser() throws {
        let finding = try #require(Diagnosis.findings(for: SnapshotBuilders.canonical()).first(.permissionDenied))
        #expect(finding.severity == .error)
        #expect(finding.evidence.contains("/dev/rpmsg_ctrl0: crw------- root:root"))
        #expect(finding.evidence.contains { $0.contains("no udev rules file") })
        #expect(finding.commands.contains("sudo rpmsg-doctor udev-rule --install"))
    }

    @Test func rootIsNeverDenied() {
        let root = UserCredentials(uid: 0, gid: 0, userName: "root")
        #expect(Diagnosis.findings(for: SnapshotBuilders.canonical(user: root)).first(.permissionDenied) == nil)
    }

    @Test func groupMembershipGrantsAccessOnlyWithGroupReadWrite() {
        var node = SnapshotBuilders.node("rpmsg_ctrl0", dev: "1:1", mode: 0o660, gid: 1000, group: "dev")
        #expect(node.allowsReadWrite(for: SnapshotBuilders.user))
        node.mode = 0o640
        #expect(!node.allowsReadWrite(for: SnapshotBuilders.user))
        node.gid = 27
        node.mode = 0o666
        #expect(node.allowsReadWrite(for: SnapshotBuilders.user))
    }

    @Test func missingNodesInsideAContainerGiveTheCgroupRule() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.system.container = ContainerHints(evidence: ["/.dockerenv exists"])
        snapshot.endpointDevices[0].node = DeviceNode(path: "/dev/rpmsg0", state: .missing)
        let findings = Diagnosis.findings(for: snapshot)
        let missing = try #require(findings.first(.nodeMissing))
        #expect(missing.severity == .error)
        #expect(missing.commands.contains("rpmsg-doctor udev-rule --container docker"))
        #expect(missing.evidence.contains("/.dockerenv exists"))
        #expect(findings.first(.container) != nil)
    }

    @Test func staleNodeWithOtherNumbersIsFlagged() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.controlDevices[0].node.devNumber = "240:0"
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.nodeMismatch))
        #expect(finding.summary.contains("240:0"))
        #expect(finding.summary.contains("511:0"))
    }

    @Test func heldEndpointNamesItsHolder() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.endpointDevices[0].holders = [ProcessReference(pid: 4242, command: "echo_test")]
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.endpointBusy))
        #expect(finding.summary.contains("pid 4242 (echo_test)"))
    }
}

@Suite struct DiagnosisKernelTests {
    @Test func noRpmsgBusAtAll() {
        var snapshot = SnapshotBuilders.healthy()
        snapshot = Snapshot(source: "test", system: SystemContext(kernelRelease: "6.1.0"), user: snapshot.user)
        #expect(Diagnosis.findings(for: snapshot).ids() == ["RD301", "RD901"])
    }

    @Test func missingControlDeviceIsOnlyAWarningWhileARawEndpointWorks() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.controlDevices = []
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.noControlDevices))
        #expect(finding.severity == .warning)
        #expect(finding.evidence.contains("still usable without a ctrl: /dev/rpmsg0"))
    }

    @Test(arguments: [("5.10.0", "driver_override"), ("5.15.0", "rpmsg_char"), ("6.1.0", "rpmsg_ctrl")])
    func missingControlDeviceFixDependsOnTheKernel(release: String, expected: String) throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.controlDevices = []
        snapshot.endpointDevices = []
        snapshot.drivers = []
        snapshot.system.kernelRelease = release
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.noControlDevices))
        #expect(finding.severity == .error)
        #expect((finding.fix + finding.commands.joined()).contains(expected))
    }

    @Test func remoteWithoutNameServiceWarns() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.virtioDevices[0] = SnapshotBuilders.virtio(0, ns: false)
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.noNameService))
        #expect(finding.severity == .warning)
        #expect(Diagnosis.findings(for: snapshot).first(.nothingAnnounced) == nil)
    }

    @Test func nearMissChannelNameWarnsAndNamesTheDriver() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.drivers.append(BusDriver(name: "rpmsg_tty"))
        snapshot.channels.append(SnapshotBuilders.channel("rpmsg-tty-channel", dst: 1026, on: 0))
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver))
        #expect(finding.severity == .warning)
        #expect(finding.summary.contains("rpmsg-tty"))
        #expect(finding.commands.first?.contains("rpmsg_tty") == true)
    }

    @Test func rawChannelWithoutRpmsgCharLoadedSaysWhichModule() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels[0].driver = nil
        snapshot.endpointDevices = []
        snapshot.drivers = [BusDriver(name: "rpmsg_ctrl"), BusDriver(name: "rpmsg_ns")]
        snapshot.system.loadedModules = ["rpmsg_ctrl", "virtio_rpmsg_bus"]
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver))
        #expect(finding.severity == .warning)
        #expect(finding.summary.contains("rpmsg_chrdev, which binds it, is not loaded (module rpmsg_char)"))
        #expect(finding.evidence.contains("/proc/modules: no rpmsg_char"))
        #expect(finding.evidence.contains("modalias: rpmsg:rpmsg-raw"))
        #expect(finding.commands.first == "sudo modprobe rpmsg_char")
    }

    @Test func rawChannelBeforeRpmsgCharKnewItIsOnlyANote() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.system.kernelRelease = "5.15.0"
        snapshot.channels[0].driver = nil
        snapshot.endpointDevices = []
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver)).severity == .info)
    }

    @Test func nearMissOfAnUnloadedDriverLoadsItFirst() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels.append(SnapshotBuilders.channel("rpmsg-tty-channel", dst: 1026, on: 0))
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver))
        #expect(finding.severity == .warning)
        #expect(finding.commands.first == "sudo modprobe rpmsg_tty")
    }

    @Test func unboundChannelWithAnOwnNameIsOnlyANote() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels.append(SnapshotBuilders.channel("my-service", dst: 40, on: 0))
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver)).severity == .info)
    }

    @Test func silentRemoteWarnsThatNothingWasAnnounced() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels = []
        snapshot.endpointDevices = []
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.nothingAnnounced))
        #expect(finding.fix.contains("bootaux"))
    }
}

@Suite struct DiagnosisRemoteAndLogTests {
    @Test func crashedRemoteIsAnError() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", processorName: "imx-rproc", state: "crashed", firmware: "echo.elf")]
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.remoteNotRunning))
        #expect(finding.severity == .error)
        #expect(finding.summary.contains("until it is recovered"))
    }

    @Test(arguments: [
        ("remoteproc remoteproc0: Direct firmware load for rproc-m4-fw failed with error -2", FindingCode.firmwareLoadFailed),
        ("remoteproc remoteproc0: no resource table found for this firmware", .noResourceTable),
        ("imx-rproc imx8mp-cm7: No resource table in elf", .noResourceTable),
        ("virtio_rpmsg_bus virtio0: message is too big (500)", .messageTooBig),
        ("virtio_rpmsg_bus virtio0: timeout waiting for a tx buffer", .remoteNotConsuming),
        ("virtio_rpmsg_bus virtio0: msg received with no recipient", .noRecipient),
        ("virtio_rpmsg_bus virtio0: idr_alloc failed: -28", .addressTaken),
        ("rpmsg_ctrl virtio0.rpmsg_ctrl.0.0: idr_alloc failed: -28", .addressTaken),
    ])
    func kernelLogLinesBecomeFindings(line: String, code: FindingCode) throws {
        var snapshot = SnapshotBuilders.healthy()
        if [.firmwareLoadFailed, .noResourceTable].contains(code) { snapshot = SnapshotBuilders.remoteDown() }
        snapshot.kernelLog.lines.append("[   12.345678] " + line)
        let finding = try #require(Diagnosis.findings(for: snapshot).first(code))
        #expect(finding.evidence.contains { $0.contains(line) })
    }

    @Test func disabledRpmsgDeviceTreeNode() throws {
        var snapshot = SnapshotBuilders.remoteDown()
        snapshot.deviceTree = [DeviceTreeNode(path: "/rpmsg", compatible: ["fsl,imx8qm-rpmsg"], status: "disabled")]
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.rpmsgNodeDisabled)).severity == .error)
    }

    @Test func disabledClientNodesAndWorkingVirtioDevicesAreNoAlarm() {
        var snapshot = SnapshotBuilders.remoteDown()
        snapshot.deviceTree = [DeviceTreeNode(path: "/sound-rpmsg", compatible: ["fsl,imx8mm-rpmsg-audio"], status: "disabled")]
        #expect(Diagnosis.findings(for: snapshot).first(.rpmsgNodeDisabled) == nil)
        var working = SnapshotBuilders.healthy()
        working.deviceTree = [DeviceTreeNode(path: "/rpmsg1", compatible: ["fsl,imx8qm-rpmsg"], status: "disabled")]
        working.kernelLog.lines.append("[    1.0] imx rpmsg driver is registered.")
        #expect(Diagnosis.findings(for: working).first(.rpmsgNodeDisabled) == nil)
    }

    @Test func firmwareErrorsFromTheLogAreDroppedOnceTheRemoteRuns() {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", state: "running")]
        snapshot.kernelLog.lines.append("[    3.0] remoteproc remoteproc0: Direct firmware load for fw.elf failed with error -2")
        #expect(Diagnosis.findings(for: snapshot).first(.firmwareLoadFailed) == nil)
    }

    @Test func crashedRemoteIsRecoveredNotStarted() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", state: "crashed")]
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.remoteNotRunning))
        #expect(finding.commands == ["echo recover | sudo tee /sys/class/remoteproc/remoteproc0/recovery"])
    }

    @Test func intendedSourceAddresses() throws {
        let snapshot = SnapshotBuilders.healthy()
        let reserved = try #require(Diagnosis.findings(for: snapshot, intent: Intent(src: .nameService)).first(.addressTaken))
        #expect(reserved.severity == .error)
        let taken = try #require(Diagnosis.findings(for: snapshot, intent: Intent(src: RpmsgAddress(1025))).first(.addressTaken))
        #expect(taken.summary.contains("channel virtio0.rpmsg-raw.-1.1024"), "a bound channel holds its local address")
        var held = snapshot
        held.channels = []
        #expect(Diagnosis.findings(for: held, intent: Intent(src: RpmsgAddress(1025))).first(.addressTaken) == nil,
                "an endpoint device nobody holds open has no address in use")
        held.endpointDevices[0].holders = [ProcessReference(pid: 7, command: "app")]
        #expect(try #require(Diagnosis.findings(for: held, intent: Intent(src: RpmsgAddress(1025))).first(.addressTaken)).summary.contains("/dev/rpmsg0"))
        let low = try #require(Diagnosis.findings(for: snapshot, intent: Intent(src: RpmsgAddress(2))).first(.addressTaken))
        #expect(low.severity == .warning)
        #expect(Diagnosis.findings(for: snapshot, intent: Intent(src: RpmsgAddress(2000))).first(.addressTaken) == nil)
    }

    @Test func remoteprocsOwnIdrFailureIsNotAboutAddresses() {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.kernelLog.lines.append("[    2.0] remoteproc remoteproc0: idr_alloc failed: -28")
        #expect(Diagnosis.findings(for: snapshot).first(.addressTaken) == nil)
    }

    @Test func controlDevicesDoNotHoldAddressZero() {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels.append(Channel(deviceName: "virtio0.rpmsg_ctrl.0.0", name: "rpmsg_ctrl", src: RpmsgAddress(0), dst: RpmsgAddress(0),
                                         driver: "rpmsg_ctrl", virtio: "virtio0", sysfsPath: "/sys/devices/virtio0/virtio0.rpmsg_ctrl.0.0"))
        let findings = Diagnosis.findings(for: snapshot, intent: Intent(control: "/dev/rpmsg_ctrl0", src: RpmsgAddress(0)))
        #expect(findings.first(.addressTaken)?.severity == .warning, "only the below-1024 warning")
    }

    @Test func noRecipientListsOnlyEndpointsOfTheVirtioInTheLogLine() throws {
        var snapshot = SnapshotBuilders.canonical()
        snapshot.kernelLog.lines.append("[    9.0] virtio_rpmsg_bus virtio1: msg received with no recipient")
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.noRecipient))
        #expect(!finding.evidence.contains { $0.contains("/dev/rpmsg0") }, "rpmsg0 is on virtio0")
        #expect(KernelLogLine("[    9.0] virtio_rpmsg_bus virtio1: msg received with no recipient").device == "virtio1")
    }

    @Test func resourceTableErrorOfOneRemoteNextToAWorkingOne() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.virtioDevices[0].remoteProcessor = "remoteproc0"
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", state: "running"),
                                     RemoteProcessor(name: "remoteproc1", sysfsPath: "/sys/class/remoteproc/remoteproc1", state: "running")]
        snapshot.kernelLog.lines.append("[    4.0] remoteproc remoteproc1: no resource table found for this firmware")
        #expect(Diagnosis.findings(for: snapshot).first(.noResourceTable) != nil)
    }

    @Test func unreadableKernelLogAndPathsAreSaidPlainly() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.kernelLog = KernelLog(source: "/dev/kmsg", readable: false, reason: "permission denied")
        snapshot.unreadable = [ReadProblem(path: "/sys/class/remoteproc/remoteproc0/state", error: "permission denied")]
        let findings = Diagnosis.findings(for: snapshot)
        #expect(try #require(findings.first(.kernelLogUnreadable)).summary.contains("permission denied"))
        #expect(try #require(findings.first(.partlyUnreadable)).evidence == ["/sys/class/remoteproc/remoteproc0/state: permission denied"])
    }
}

/// The vendor boards of the field notes whose trouble shows only in the kernel log.
@Suite struct DiagnosisKernelLogTests {
    static func withLog(_ snapshot: Snapshot, _ lines: String...) -> Snapshot {
        var snapshot = snapshot
        snapshot.kernelLog.lines += lines
        return snapshot
    }

    @Test func imx8mmWithoutReservedMemoryIsNoLongerSilent() throws {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(),
                                    "[    1.2] imx-rpmsg b8000000.rpmsg: No vring buffer.",
                                    "[    1.2] imx-rpmsg: probe of b8000000.rpmsg failed with error -12")
        let findings = Diagnosis.findings(for: snapshot)
        let memory = try #require(findings.first(.sharedMemoryMissing))
        #expect(memory.severity == .error)
        #expect(memory.summary.contains("b8000000.rpmsg"))
        #expect(memory.evidence.contains("[    1.2] imx-rpmsg b8000000.rpmsg: No vring buffer."))
        #expect(memory.evidence.contains { $0.contains("drivers/rpmsg/imx_rpmsg.c") })
        let probe = try #require(findings.first(.transportProbeFailed))
        #expect(probe.evidence.first == "[    1.2] imx-rpmsg: probe of b8000000.rpmsg failed with error -12")
    }

    @Test func newerDriverCoreWordingOfAProbeFailure() throws {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(), "[    2.0] imx-rproc imx8mp-cm7: probe with driver imx-rproc failed with error -16")
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.transportProbeFailed)).summary.contains("imx8mp-cm7"))
    }

    @Test func imx8xKickTimeoutsAfterBootaux() throws {
        let snapshot = Self.withLog(SnapshotBuilders.canonical(),
                                    "[   30.1] imx-rproc imx8x-cm4: imx_rproc_kick: failed (3, err:-62)",
                                    "[   30.2] imx-rproc imx8x-cm4: imx_rproc_kick: failed (3, err:-62)")
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.remoteNotNotified))
        #expect(finding.severity == .error)
        #expect(finding.evidence.filter { $0.contains("imx_rproc_kick") }.count == 2)
    }

    @Test func aFirmwareErrorIsOverOnceTheSameRemoteCameUp() {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(),
                                    "[    3.0] remoteproc remoteproc0: request_firmware failed: -2",
                                    "[    9.0] remoteproc remoteproc0: remote processor m4 is now up")
        #expect(Diagnosis.findings(for: snapshot).first(.firmwareLoadFailed) == nil)
    }

    @Test func aFirmwareErrorOfAnotherRemoteStays() {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(),
                                    "[    3.0] remoteproc remoteproc1: request_firmware failed: -2",
                                    "[    9.0] remoteproc remoteproc0: remote processor m4 is now up")
        #expect(Diagnosis.findings(for: snapshot).first(.firmwareLoadFailed) != nil)
    }

    @Test func tiIpcOnlyWithoutTheResourceTableRegion() throws {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(),
                                    "[    4.0] k3-r5-rproc 78000000.r5f: memory-region #1 does not exist, loaded rsc table can't be found")
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.noResourceTable))
        #expect(finding.fix.contains("memory-region"))
    }

    @Test func signedFirmwareOnlyOnST() throws {
        let snapshot = Self.withLog(SnapshotBuilders.remoteDown(), "[    2.0] stm32-rproc 10000000.m4: Support of signed firmware only")
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.firmwareLoadFailed))
        #expect(finding.fix.contains("st,stm32mp1-m4"))
    }

    @Test(arguments: KernelLogPattern.all.map(\.example))
    func everyPatternsLineIsKeptByDiscoveryAndMatched(example: String) throws {
        #expect(KernelLog.isRelevant(example), "discovery would drop it")
        let line = KernelLogLine("[    1.000000] " + example)
        let pattern = try #require(KernelLogPattern.all.first { $0.matches(line) })
        #expect(pattern.example == example, "an earlier pattern takes this line")
    }
}


/// Remote cores by their platform device, since imx_rproc names every core "imx-rproc".
@Suite struct RemoteIdentityTests {
    static func core(_ path: String, state: String, firmware: String = "unknown") -> RemoteProcessor {
        RemoteProcessor(name: String(path.split(separator: "/").last!), sysfsPath: path, processorName: "imx-rproc", state: state, firmware: firmware)
    }

    @Test func coresAreNamedByTheirPlatformDevice() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.remoteProcessors = [Self.core("/sys/devices/platform/imx8mp-cm7/remoteproc/remoteproc0", state: "offline", firmware: "m7.elf"),
                                     Self.core("/sys/devices/platform/soc@0/21170000.dsp/remoteproc/remoteproc1", state: "running")]
        #expect(snapshot.remoteProcessors.map(\.platformDevice) == ["imx8mp-cm7", "21170000.dsp"])
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.remoteNotRunning))
        #expect(finding.summary == "remoteproc0 (imx8mp-cm7) is offline")
        let text = TextReport(ScanReport(snapshot: snapshot), style: Style(enabled: false)).render()
        #expect(text.contains("remoteproc0  device=imx8mp-cm7 name=imx-rproc state=offline"))
    }

    @Test(arguments: ["attached", "detached"])
    func aCoreTheBootLoaderStartedIsHealthy(state: String) {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.remoteProcessors = [Self.core("/sys/devices/platform/imx93-cm33/remoteproc/remoteproc0", state: state)]
        #expect(Diagnosis.findings(for: snapshot).filter { $0.severity != .info }.isEmpty)
    }

    @Test func aRemoteprocOutsideAPlatformDeviceKeepsItsName() {
        let remote = RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", processorName: "m4")
        #expect(remote.platformDevice == nil)
        #expect(remote.label == "remoteproc0 (m4)")
    }
}

@Suite struct ReadingAdviceTests {
    @Test func rootIsNotToldToUseSudo() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.source = "live"
        snapshot.user = UserCredentials(uid: 0, gid: 0, userName: "root")
        snapshot.kernelLog = KernelLog(source: "/dev/kmsg", readable: false, reason: ReadError.missing.description)
        let missing = try #require(Diagnosis.findings(for: snapshot).first(.kernelLogUnreadable))
        #expect(!missing.commands.contains { $0.contains("sudo") })
        #expect(missing.fix.contains("no /dev/kmsg"))
        snapshot.kernelLog.reason = ReadError.denied.description
        let denied = try #require(Diagnosis.findings(for: snapshot).first(.kernelLogUnreadable))
        #expect(denied.commands.isEmpty && denied.fix.contains("Even root"))
        snapshot.user = SnapshotBuilders.user
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.kernelLogUnreadable)).commands == ["sudo rpmsg-doctor scan"])
        snapshot.source = "root /tmp/board"
        #expect(try #require(Diagnosis.findings(for: snapshot).first(.kernelLogUnreadable)).fix.contains("as dev/kmsg"))
    }

    @Test func anEmptyChannelNameIsCloseToNothing() throws {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.channels.append(SnapshotBuilders.channel("", dst: 41, on: 0))
        let finding = try #require(Diagnosis.findings(for: snapshot).first(.channelWithoutDriver))
        #expect(finding.severity == .info && !finding.summary.contains("close to"))
    }
}

/// /proc/config.gz as evidence: what the kernel was built with decides between loading a module and rebuilding.
@Suite struct KernelConfigTests {
    static func withoutControl(config: [String: String]) -> Snapshot {
        var snapshot = SnapshotBuilders.healthy()
        snapshot.controlDevices = []
        snapshot.endpointDevices = []
        snapshot.drivers = [BusDriver(name: "rpmsg_ns")]
        snapshot.system.kernelConfig = config
        return snapshot
    }

    @Test func aControlDriverBuiltAsAModuleIsLoaded() throws {
        let finding = try #require(Diagnosis.findings(for: Self.withoutControl(config: ["RPMSG_CTRL": "m", "RPMSG_CHAR": "m"])).first(.noControlDevices))
        #expect(finding.evidence.contains("CONFIG_RPMSG_CTRL=m (/proc/config.gz)"))
        #expect(finding.commands.first == "sudo modprobe rpmsg_ctrl")
    }

    @Test func aControlDriverNotBuiltNeedsAnotherKernel() throws {
        let finding = try #require(Diagnosis.findings(for: Self.withoutControl(config: ["RPMSG_CHAR": "m", "RPMSG_CTRL": "n"])).first(.noControlDevices))
        #expect(finding.evidence.contains("CONFIG_RPMSG_CTRL is not set (/proc/config.gz)"))
        #expect(finding.fix.hasPrefix("This kernel was built without CONFIG_RPMSG_CTRL"))
        #expect(!finding.commands.contains { $0.contains("modprobe") })
    }

    @Test func withoutTheConfigurationTheModulesAreTried() throws {
        let finding = try #require(Diagnosis.findings(for: Self.withoutControl(config: [:])).first(.noControlDevices))
        #expect(finding.fix.hasPrefix("This kernel was built without CONFIG_RPMSG_CTRL and CONFIG_RPMSG_CHAR"), "an empty configuration lists neither")
        var unknown = Self.withoutControl(config: [:])
        unknown.system.kernelConfig = nil
        #expect(try #require(Diagnosis.findings(for: unknown).first(.noControlDevices)).commands.first == "sudo modprobe rpmsg_ctrl")
    }
}
