/// One kernel log message that means a known failure: the verbatim text the driver prints (any one of
/// `phrases`), the file that prints it, and the finding code it raises.
struct KernelLogPattern: Sendable {
    /// When a matched line still says something about the system as it is now.
    enum Relevance: Sendable {
        /// Whenever it was logged (it happened; the rule's severity says how much that weighs).
        case always
        /// Only while a remote processor is not running (or none is known).
        case whileRemoteDown
        /// Only while no virtio device came up below the device the line names (or, naming none, at all).
        case untilTransportUp
        /// Only until a remote processor was started or attached again after it.
        case untilRemoteRestart
    }

    let phrases: [String]
    let code: FindingCode
    let source: String
    /// A line as the kernel prints it, for the tests and the reader.
    let example: String
    /// "The kernel log shows ...": what the lines mean, for the finding's summary.
    let meaning: String
    var excluding: [String] = []
    var relevance: Relevance = .always
    /// A further test of the line, where the phrase alone is too common.
    var applies: (@Sendable (KernelLogLine) -> Bool)?
    /// The fix, where this message calls for another one than its code's usual fix.
    var remedy: Remedy?

    /// Case is ignored: vendors' copies of a message differ in it.
    func matches(_ line: KernelLogLine) -> Bool {
        phrases.contains { line.lowered.contains($0.lowercased()) } && !excluding.contains { line.lowered.contains($0.lowercased()) }
            && (applies?(line) ?? true)
    }
}

extension KernelLogPattern {
    /// Lines that show a remote processor was started or attached (again).
    static let restartPhrases = ["is now up", "is now attached"]
    /// Lines that show a remote or its transport came up: a failure logged before them, about the same device, is over.
    static let recoveryPhrases = restartPhrases + ["registered virtio", "rpmsg host is online", "creating channel"]

    /// Every pattern, in the order of their codes. Each phrase is verbatim from the source file named.
    static let all: [KernelLogPattern] = [
        KernelLogPattern(
            phrases: ["Direct firmware load", "request_firmware failed", "Boot failed", "failed to load"],
            code: .firmwareLoadFailed,
            source: "drivers/base/firmware_loader, drivers/remoteproc/remoteproc_core.c, remoteproc_sysfs.c",
            example: "remoteproc remoteproc0: Direct firmware load for rproc-m4-fw failed with error -2",
            meaning: "the kernel could not load the remote's firmware",
            relevance: .whileRemoteDown
        ),
        KernelLogPattern(
            phrases: [
                "Image is corrupted (bad magic)", "Image is too small", "No loadable segments", "truncated fw", "Failed to load program segments",
            ],
            code: .firmwareLoadFailed,
            source: "drivers/remoteproc/remoteproc_elf_loader.c, remoteproc_core.c",
            example: "remoteproc remoteproc0: Image is corrupted (bad magic)",
            meaning: "the remote's firmware file is not an ELF remoteproc can load",
            relevance: .whileRemoteDown
        ),
        KernelLogPattern(
            phrases: ["Support of signed firmware only", "signed firmware not supported by TEE"],
            code: .firmwareLoadFailed,
            source: "drivers/remoteproc/stm32_rproc.c (ST)",
            example: "stm32-rproc 10000000.m4: Support of signed firmware only",
            meaning: "this remoteproc loads only signed firmware (through OP-TEE)",
            relevance: .whileRemoteDown,
            remedy: .signFirmware
        ),
        KernelLogPattern(
            phrases: [
                "no resource table found for this firmware", "No resource table in elf", "header-less resource table", "failed to get resource table",
            ],
            code: .noResourceTable,
            source: "drivers/remoteproc/remoteproc_core.c, remoteproc_elf_loader.c, imx_rproc.c, stm32_rproc.c, zynqmp_r5_remoteproc.c",
            example: "remoteproc remoteproc0: no resource table found for this firmware",
            meaning: "the firmware has no resource table, so no virtio device (and no rpmsg) was created",
            relevance: .untilTransportUp
        ),
        KernelLogPattern(
            phrases: ["memory-region #1 does not exist"],
            code: .noResourceTable,
            source: "drivers/remoteproc/ti_k3_r5_remoteproc.c, ti_k3_m4_remoteproc.c, ti_k3_dsp_remoteproc.c (TI)",
            example: "k3-r5-rproc 78000000.r5f: memory-region #1 does not exist, loaded rsc table can't be found",
            meaning: "the core runs in IPC-only mode, but its device tree has no memory region for the loaded resource table",
            relevance: .untilTransportUp,
            remedy: .addResourceTableRegion
        ),
        KernelLogPattern(
            phrases: ["_kick: failed (", "Failed to kick remote", ".kick method not defined"],
            code: .remoteNotNotified,
            source: "drivers/remoteproc/imx_rproc.c, stm32_rproc.c, zynqmp_r5_remoteproc.c, remoteproc_virtio.c",
            example: "imx-rproc imx8x-cm4: imx_rproc_kick: failed (3, err:-62)",
            meaning: "kicks to the remote fail: it is not told about new messages",
            relevance: .untilRemoteRestart
        ),
        KernelLogPattern(
            phrases: ["Failed to request mbox channel", "failed to request mbox", "failed to request mailbox", "Cannot find MU-RPMSG entry"],
            code: .remoteNotNotified,
            source: "drivers/rpmsg/imx_rpmsg.c (NXP), drivers/remoteproc/stm32_rproc.c, zynqmp_r5_remoteproc.c",
            example: "imx-rpmsg 90000000.rpmsg: Failed to request mbox channel",
            meaning: "the mailbox that signals the remote could not be set up",
            relevance: .untilTransportUp
        ),
        KernelLogPattern(
            phrases: [
                "No vring buffer", "Failed to allocate associated carveouts", "Unable to allocate carveout", "failed to allocate dma memory",
                "Can't associate reserved memory", "Registered carveout doesn't fit", "Allocated carveout doesn't fit", "unable to acquire memory-region",
            ],
            code: .sharedMemoryMissing,
            source: "drivers/rpmsg/imx_rpmsg.c (NXP), drivers/remoteproc/remoteproc_core.c, remoteproc_virtio.c, stm32_rproc.c",
            example: "imx-rpmsg b8000000.rpmsg: No vring buffer.",
            meaning: "the shared memory for the vrings and buffers could not be set up (reserved memory missing, too small or overlapping)",
            relevance: .untilTransportUp
        ),
        KernelLogPattern(
            phrases: ["failed with error"],
            code: .transportProbeFailed,
            source: "drivers/base/dd.c",
            example: "imx-rpmsg: probe of b8000000.rpmsg failed with error -12",
            meaning: "a driver of the rpmsg transport failed to probe its device",
            relevance: .untilTransportUp,
            applies: { $0.isTransportProbeFailure }
        ),
        KernelLogPattern(
            phrases: ["cannot create duplicate filename '/bus/platform/devices/rproc-virtio"],
            code: .duplicateVirtioTransport,
            source: "fs/sysfs/dir.c",
            example: "sysfs: cannot create duplicate filename '/bus/platform/devices/rproc-virtio.0'",
            meaning: "two remote processors' rproc-virtio devices got the same name: the second one's rpmsg never came up"
        ),
        KernelLogPattern(
            phrases: ["data not found for vqid"],
            code: .staleVrings,
            source: "drivers/remoteproc/zynqmp_r5_remoteproc.c (Xilinx)",
            example: "remoteproc remoteproc0: data not found for vqid=1",
            meaning: "the remote was restarted while the vrings kept their old state",
            relevance: .untilRemoteRestart
        ),
        KernelLogPattern(
            phrases: ["message is too big"],
            code: .messageTooBig,
            source: "drivers/rpmsg/virtio_rpmsg_bus.c",
            example: "rpmsg_chrdev virtio0.rpmsg-raw.-1.1024: message is too big (600)",
            meaning: "a write over the 496-byte payload limit (EMSGSIZE)"
        ),
        KernelLogPattern(
            phrases: ["timeout waiting for a tx buffer"],
            code: .remoteNotConsuming,
            source: "drivers/rpmsg/virtio_rpmsg_bus.c",
            example: "virtio_rpmsg_bus virtio0: timeout waiting for a tx buffer",
            meaning: "the remote stopped consuming messages: a write waited 15 s for a free buffer"
        ),
        KernelLogPattern(
            phrases: ["msg received with no recipient"],
            code: .noRecipient,
            source: "drivers/rpmsg/virtio_rpmsg_bus.c",
            example: "virtio_rpmsg_bus virtio0: msg received with no recipient",
            meaning: "the remote sent to a local address nobody listens on"
        ),
        // remoteproc prints its own "idr_alloc failed" for vring notify ids; the rpmsg ones are about addresses.
        KernelLogPattern(
            phrases: ["idr_alloc failed"],
            code: .addressTaken,
            source: "drivers/rpmsg/virtio_rpmsg_bus.c",
            example: "virtio_rpmsg_bus virtio0: idr_alloc failed: -28",
            meaning: "an endpoint whose src address was taken (open() fails with EINVAL)",
            excluding: ["remoteproc"]
        ),
        KernelLogPattern(
            phrases: ["inbound msg too big"],
            code: .inboundMessageTooBig,
            source: "drivers/rpmsg/virtio_rpmsg_bus.c",
            example: "virtio_rpmsg_bus virtio0: inbound msg too big: (1024, 512)",
            meaning: "the remote sent a message longer than Linux's buffers (buffer sizes differ, or the remote's cache held stale data)"
        ),
    ]
}

/// A kernel log line taken apart: `[   12.3] imx-rpmsg b8000000.rpmsg: No vring buffer.`
struct KernelLogLine: Sendable {
    let text: String
    let lowered: String
    /// The device the line is about: "b8000000.rpmsg", or the one after "probe of".
    let device: String?

    init(_ text: String) {
        self.text = text
        lowered = text.lowercased()
        var message = Substring(text)
        if message.hasPrefix("["), let end = message.firstIndex(of: "]") { message = message[message.index(after: end)...] }
        let words = message.split(separator: " ", maxSplits: 2)
        if let probed = text.firstRange(of: "probe of ") {
            device = text[probed.upperBound...].split(separator: " ").first.map(String.init)
        } else if words.count == 3, words[1].hasSuffix(":") {
            device = String(words[1].dropLast())
        } else {
            device = nil
        }
    }

    /// The driver core's probe failure, in either wording (drivers/base/dd.c): "DRIVER: probe of DEVICE failed ...",
    /// "DEVICE: probe with driver DRIVER failed ...".
    var isProbeFailure: Bool { text.contains("probe of ") || text.contains("probe with driver ") }

    /// The driver-core probe failure is about the transport only when the driver or device is an rpmsg or remoteproc one.
    var isTransportProbeFailure: Bool {
        isProbeFailure && ["rpmsg", "rproc", "remoteproc"].contains { lowered.contains($0) }
    }
}
