import Testing
@testable import RpmsgDoctorCore

/// One scan code's proof: a system that raises it, and the nearest system that must not.
struct ScanFindingCase: CustomTestStringConvertible, Sendable {
    let code: FindingCode
    let raisedBy: @Sendable () -> (Snapshot, Intent)
    let notRaisedBy: @Sendable () -> (Snapshot, Intent)

    var testDescription: String { code.rawValue }
}

private typealias B = SnapshotBuilders

private func with(_ snapshot: Snapshot, _ intent: Intent = Intent(), _ change: (inout Snapshot) -> Void = { _ in }) -> (Snapshot, Intent) {
    var snapshot = snapshot
    change(&snapshot)
    return (snapshot, intent)
}

private func logLine(_ line: String) -> (inout Snapshot) -> Void {
    { $0.kernelLog.lines.append("[   12.345678] " + line) }
}

private let remoteproc0 = RemoteProcessor(name: "remoteproc0", sysfsPath: "/sys/class/remoteproc/remoteproc0", processorName: "imx-rproc", state: "offline", firmware: "echo.elf")

/// Every scan code with its positive and negative case. A new scan finding adds its case here; the suite below
/// fails until it does.
let scanFindingCases: [ScanFindingCase] = [
    ScanFindingCase(code: .route, raisedBy: { with(B.canonical(), Intent(dst: RpmsgAddress(30))) },
                    notRaisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30))) }),
    ScanFindingCase(code: .wrongControl, raisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl0", dst: RpmsgAddress(30))) },
                    notRaisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30))) }),
    ScanFindingCase(code: .notAnnounced, raisedBy: { with(B.canonical(), Intent(service: "no-such-service")) },
                    notRaisedBy: { with(B.canonical(), Intent(service: "rpmsg-openamp-demo-channel")) }),
    ScanFindingCase(code: .controlNumbering, raisedBy: { with(B.canonical()) }, notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .endpointOnWrongVirtio, raisedBy: { with(B.canonical()) },
                    notRaisedBy: { with(B.canonical()) { $0.endpointDevices = [B.endpoint(0, through: B.control(1, on: 1), name: "demo", src: 2, dst: 30)] } }),
    ScanFindingCase(code: .noControlForVirtio,
                    raisedBy: { with(B.canonical(), Intent(service: "rpmsg-openamp-demo-channel")) { $0.controlDevices.removeAll { $0.virtio == "virtio1" } } },
                    notRaisedBy: { with(B.canonical(), Intent(service: "rpmsg-openamp-demo-channel")) { snapshot in
                        snapshot.controlDevices.removeAll { $0.virtio == "virtio1" }
                        snapshot.ttys = [RpmsgTTY(name: "ttyRPMSG30", sysfsPath: "/sys/class/tty/ttyRPMSG30", devNumber: "234:0",
                                                  hostChannel: snapshot.channels[0].deviceName, virtio: "virtio1", node: B.node("ttyRPMSG30", dev: "234:0"))]
                    } }),
    ScanFindingCase(code: .unknownControl, raisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl7")) },
                    notRaisedBy: { with(B.canonical(), Intent(control: "rpmsg_ctrl1")) }),
    ScanFindingCase(code: .permissionDenied, raisedBy: { with(B.canonical()) },
                    notRaisedBy: { with(B.canonical(user: UserCredentials(uid: 0, gid: 0, userName: "root"))) }),
    ScanFindingCase(code: .nodeMissing, raisedBy: { with(B.healthy()) { $0.endpointDevices[0].node = DeviceNode(path: "/dev/rpmsg0", state: .missing) } },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .nodeMismatch, raisedBy: { with(B.healthy()) { $0.controlDevices[0].node.devNumber = "240:0" } },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .container, raisedBy: { with(B.healthy()) { $0.system.container = ContainerHints(evidence: ["/.dockerenv exists"]) } },
                    notRaisedBy: { with(B.remoteDown()) { $0.system.container = ContainerHints(evidence: ["/.dockerenv exists"]) } }),
    ScanFindingCase(code: .endpointBusy, raisedBy: { with(B.healthy()) { $0.endpointDevices[0].holders = [ProcessReference(pid: 42, command: "app")] } },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .udevNotApplied,
                    raisedBy: { with(B.healthy()) { $0.udev = UdevState(queried: true, daemonRunning: true, rulesFiles: [UdevRulesFile(path: "/etc/udev/rules.d/60-rpmsg.rules", lines: ["SUBSYSTEM==\"rpmsg\", GROUP=\"rpmsg\", MODE=\"0660\""])]) } },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        snapshot.udev = UdevState(queried: true, daemonRunning: true, rulesFiles: [UdevRulesFile(path: "/etc/udev/rules.d/60-rpmsg.rules", lines: ["SUBSYSTEM==\"rpmsg\", GROUP=\"rpmsg\", MODE=\"0660\""])])
                        snapshot.controlDevices[0].udev = UdevDevice(initialized: true)
                        snapshot.endpointDevices[0].udev = UdevDevice(initialized: true)
                    } }),
    ScanFindingCase(code: .noRpmsgBus, raisedBy: { with(Snapshot(source: "test", system: SystemContext(kernelRelease: "6.1.0"), user: B.user)) },
                    notRaisedBy: { with(B.remoteDown()) }),
    ScanFindingCase(code: .noControlDevices, raisedBy: { with(B.healthy()) { $0.controlDevices = [] } }, notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .channelWithoutDriver, raisedBy: { with(B.healthy()) { $0.channels.append(B.channel("my-service", dst: 40, on: 0)) } },
                    notRaisedBy: { with(B.healthy()) { $0.channels.append(B.channel("my-service", dst: 40, on: 0, driver: "my_driver")) } }),
    ScanFindingCase(code: .noNameService, raisedBy: { with(B.healthy()) { $0.virtioDevices[0] = B.virtio(0, ns: false) } }, notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .nothingAnnounced, raisedBy: { with(B.healthy()) { $0.channels = []; $0.endpointDevices = [] } },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        snapshot.channels = []
                        snapshot.endpointDevices = []
                        snapshot.virtioDevices[0] = B.virtio(0, ns: false)
                    } }),
    ScanFindingCase(code: .remoteNotRunning, raisedBy: { with(B.healthy()) { $0.remoteProcessors = [remoteproc0] } },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        var attached = remoteproc0
                        attached.state = "attached"
                        snapshot.remoteProcessors = [attached]
                    } }),
    ScanFindingCase(code: .firmwareLoadFailed,
                    raisedBy: { with(B.remoteDown(), Intent(), logLine("remoteproc remoteproc0: Direct firmware load for echo.elf failed with error -2")) },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        var running = remoteproc0
                        running.state = "running"
                        snapshot.remoteProcessors = [running]
                        logLine("remoteproc remoteproc0: Direct firmware load for echo.elf failed with error -2")(&snapshot)
                    } }),
    ScanFindingCase(code: .noResourceTable, raisedBy: { with(B.remoteDown(), Intent(), logLine("remoteproc remoteproc0: no resource table found for this firmware")) },
                    notRaisedBy: { with(B.healthy(), Intent(), logLine("remoteproc remoteproc0: no resource table found for this firmware")) }),
    ScanFindingCase(code: .virtioNotReady, raisedBy: { with(B.remoteDown()) { $0.remoteProcessors = [B.remote(vdevStatus: 0x83)] } },
                    notRaisedBy: { with(B.remoteDown()) { $0.remoteProcessors = [B.remote(state: "detached", vdevStatus: 0)] } }),
    ScanFindingCase(code: .rpmsgNodeDisabled,
                    raisedBy: { with(B.remoteDown()) { $0.deviceTree = [DeviceTreeNode(path: "/rpmsg", compatible: ["fsl,imx8qm-rpmsg"], status: "disabled")] } },
                    notRaisedBy: { with(B.remoteDown()) { $0.deviceTree = [DeviceTreeNode(path: "/sound-rpmsg", compatible: ["fsl,imx8mm-rpmsg-audio"], status: "disabled")] } }),
    ScanFindingCase(code: .remoteNotNotified, raisedBy: { with(B.healthy(), Intent(), logLine("imx-rproc imx8x-cm4: imx_rproc_kick: failed (3, err:-62)")) },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        logLine("imx-rproc imx8x-cm4: imx_rproc_kick: failed (3, err:-62)")(&snapshot)
                        logLine("remoteproc remoteproc0: remote processor imx-rproc is now attached")(&snapshot)
                    } }),
    ScanFindingCase(code: .sharedMemoryMissing, raisedBy: { with(B.remoteDown(), Intent(), logLine("imx-rpmsg b8000000.rpmsg: No vring buffer.")) },
                    notRaisedBy: { with(B.healthy(), Intent(), logLine("imx-rpmsg 90000000.rpmsg: No vring buffer.")) }),
    ScanFindingCase(code: .transportProbeFailed, raisedBy: { with(B.remoteDown(), Intent(), logLine("imx-rpmsg: probe of b8000000.rpmsg failed with error -12")) },
                    notRaisedBy: { with(B.remoteDown(), Intent(), logLine("fsl-sai: probe of 30010000.sai failed with error -517")) }),
    ScanFindingCase(code: .duplicateVirtioTransport,
                    raisedBy: { with(B.remoteDown(), Intent(), logLine("sysfs: cannot create duplicate filename '/bus/platform/devices/rproc-virtio.0'")) },
                    notRaisedBy: { with(B.remoteDown(), Intent(), logLine("sysfs: cannot create duplicate filename '/bus/platform/devices/30a20000.i2c'")) }),
    ScanFindingCase(code: .staleVrings, raisedBy: { with(B.healthy(), Intent(), logLine("remoteproc remoteproc0: data not found for vqid=1")) },
                    notRaisedBy: { with(B.healthy()) { snapshot in
                        logLine("remoteproc remoteproc0: data not found for vqid=1")(&snapshot)
                        logLine("remoteproc remoteproc0: remote processor ff9a0000.rf5ss:r5f_0 is now up")(&snapshot)
                    } }),
    ScanFindingCase(code: .messageTooBig, raisedBy: { with(B.healthy(), Intent(), logLine("rpmsg_chrdev virtio0.rpmsg-raw.-1.1024: message is too big (600)")) },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .remoteNotConsuming, raisedBy: { with(B.healthy(), Intent(), logLine("virtio_rpmsg_bus virtio0: timeout waiting for a tx buffer")) },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .noRecipient, raisedBy: { with(B.healthy(), Intent(), logLine("virtio_rpmsg_bus virtio0: msg received with no recipient")) },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .addressTaken, raisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30), src: .nameService)) },
                    notRaisedBy: { with(B.canonical(), Intent(control: "/dev/rpmsg_ctrl1", dst: RpmsgAddress(30), src: RpmsgAddress(1030))) }),
    ScanFindingCase(code: .inboundMessageTooBig, raisedBy: { with(B.healthy(), Intent(), logLine("virtio_rpmsg_bus virtio0: inbound msg too big: (1024, 512)")) },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .kernelLogUnreadable, raisedBy: { with(B.healthy()) { $0.kernelLog = KernelLog(source: "/dev/kmsg", readable: false, reason: "permission denied") } },
                    notRaisedBy: { with(B.healthy()) }),
    ScanFindingCase(code: .partlyUnreadable,
                    raisedBy: { with(B.healthy()) { $0.unreadable = [ReadProblem(path: "/sys/class/remoteproc/remoteproc0/state", error: "permission denied")] } },
                    notRaisedBy: { with(B.healthy()) }),
]

@Suite struct ScanFindingCaseTests {
    @Test(arguments: scanFindingCases)
    func raised(_ testCase: ScanFindingCase) throws {
        let (snapshot, intent) = testCase.raisedBy()
        let findings = Diagnosis.findings(for: snapshot, intent: intent).filter { $0.id == testCase.code }
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(testCase.code.entry.severity.allowed.contains(finding.severity), "a severity the catalog does not allow")
            #expect(!finding.summary.isEmpty && !finding.evidence.isEmpty && !finding.fix.isEmpty)
        }
    }

    @Test(arguments: scanFindingCases)
    func notRaised(_ testCase: ScanFindingCase) {
        let (snapshot, intent) = testCase.notRaisedBy()
        #expect(Diagnosis.findings(for: snapshot, intent: intent).first(testCase.code) == nil)
    }

    @Test func everyScanCodeHasItsCase() {
        let covered = Set(scanFindingCases.map(\.code))
        let scanCodes = Set(FindingCode.allCases.filter { $0.entry.isScanCode })
        #expect(scanCodes.subtracting(covered).isEmpty, "no case for \(scanCodes.subtracting(covered).map(\.rawValue).sorted())")
        #expect(covered.count == scanFindingCases.count, "one case per code")
    }

    @Test func theHealthyBoardIsSilentAboveInfo() {
        #expect(Diagnosis.findings(for: B.healthy()).filter { $0.severity != .info }.isEmpty)
    }
}
