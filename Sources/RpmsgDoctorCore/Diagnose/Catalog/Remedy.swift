/// What to do about a finding: the words, and the exact commands where there are any. Every fix wording lives
/// here, one section per code, so that scan and probe say the same thing for the same code.
public struct Remedy: Equatable, Sendable {
    public var text: String
    public var commands: [ShellCommand]

    init(_ text: String, commands: [ShellCommand] = []) {
        self.text = text
        self.commands = commands
    }
}

extension Remedy {
    // MARK: RD100
    static func route(controls: [ControlDevice], dst: RpmsgAddress?) -> Remedy {
        guard let control = controls.first else {
            return Remedy("Its virtio device has no control device: see `\(FindingCode.noControlDevices.explainCommand)`.")
        }
        return Remedy("Create your endpoint on that control device with dst \(dst?.hex ?? "of the channel").",
                      commands: [ShellCommand("rpmsg-doctor", "scan", "--ctrl", control.node.path, "--dst", dst?.hex ?? "ANY")])
    }

    static func useChannelDevice(_ path: String) -> Remedy {
        Remedy("Open \(path): its driver made it for this channel and sends to the channel's address. To create endpoints of your own on this virtio device, it needs a control device: see `\(FindingCode.noControlDevices.explainCommand)`.")
    }

    // MARK: RD101
    static func wrongControl(used control: ControlDevice, right: [ControlDevice], rightList: String, target: Channel) -> Remedy {
        guard let first = right.first else {
            return Remedy("\(target.virtio ?? "That virtio device") has no control device; see `\(FindingCode.noControlForVirtio.explainCommand)`.")
        }
        return Remedy(
            "Create the endpoint through \(rightList): the ctrl of the virtio device that carries the channel. An endpoint made through \(control.node.path) sends to the remote side of \(control.virtio ?? "another virtio device"), which drops the messages; writes succeed until its TX buffers run out.",
            commands: [ShellCommand(["rpmsg-doctor", "scan", "--ctrl", first.node.path] + (target.dst.map { ["--dst", $0.hex] } ?? []))]
        )
    }

    // MARK: RD102
    static let checkAnnouncement = Remedy(
        "Check the name and address the firmware announces (they must match exactly, up to 32 bytes) and that the remote has booted and announced; a remote without the name service needs its address agreed in advance.",
        commands: [ShellCommand("rpmsg-doctor", "scan")]
    )

    // MARK: RD103
    static let pickControlByVirtio = Remedy(
        "Reference tools that hard-code virtio0 or rpmsg_ctrl0 reach only the first virtio device; use the control device listed for your channel."
    )

    // MARK: RD104
    static func recreateEndpoint(_ endpoint: EndpointDevice, rightList: String, right: [ControlDevice], dst: RpmsgAddress) -> Remedy {
        Remedy("Destroy this endpoint and create it through \(rightList); messages written to \(endpoint.node.path) are dropped.",
               commands: right.prefix(1).map { ShellCommand("rpmsg-doctor", "scan", "--ctrl", $0.node.path, "--dst", dst.hex) })
    }

    // MARK: RD105
    static let controlOnChannelVirtio = Remedy(
        "A ctrl on another virtio device cannot reach this channel; `\(FindingCode.noControlDevices.explainCommand)` says how to get one on the channel's."
    )

    // MARK: RD106
    static let nameAControl = Remedy(
        "Create endpoints through /dev/rpmsg_ctrlN, the control device of the channel's virtio device: name one of those listed, or see `\(FindingCode.noControlDevices.explainCommand)` if there are none."
    )

    static let nameAnRpmsgDevice = Remedy(
        "Name an endpoint device (/dev/rpmsgN, which scan lists with its channel) or an rpmsg tty (/dev/ttyRPMSGn), or let the probe make its own endpoint with --service NAME or --ctrl and --dst.",
        commands: [ShellCommand("rpmsg-doctor", "scan")]
    )

    // MARK: RD201
    static let udevRuleCommands = [ShellCommand("rpmsg-doctor", "udev-rule", "--install", "--dry-run"), ShellCommand("sudo", "rpmsg-doctor", "udev-rule", "--install")]
    static let udevRule = Remedy(
        "Give the devices a group and mode 0660 with a udev rule, add yourself to that group, and log in again. Running your application as root only hides the problem.",
        commands: udevRuleCommands
    )

    // MARK: RD203
    static let containerCommands = [ShellCommand("rpmsg-doctor", "udev-rule", "--container", "docker"), ShellCommand("rpmsg-doctor", "udev-rule", "--container", "podman")]
    static func createNodes(inContainer: Bool, classLink: String) -> Remedy {
        inContainer
            ? Remedy("Nodes created after the container started never appear in a private /dev. Start the container with the host's /dev bound in and a device cgroup rule for the rpmsg majors.",
                     commands: containerCommands)
            : Remedy("devtmpfs or udev did not create the nodes: check that devtmpfs is mounted on /dev and that no udev rule removes or renames them.",
                     commands: [ShellCommand("findmnt", "/dev"), ShellCommand("udevadm", "test", classLink).withErrorsOnOutput().pipe("tail")])
    }

    // MARK: RD204
    static func replaceNode(_ path: String, sysfsPath: String, stale: Bool) -> Remedy {
        Remedy(stale
            ? "The node is stale (copied into a container or image, or left from an earlier boot: rpmsg majors are dynamic). Bind the host's /dev instead of copying nodes."
            : "Something created a regular file or link in its place (often a write to the node before the device existed). Remove it and let devtmpfs or udev recreate it.",
            commands: [ShellCommand("sudo", "rm", path), ShellCommand("sudo", "udevadm", "trigger", "--action=add", sysfsPath)])
    }

    // MARK: RD205
    static let containerAccess = Remedy(
        "Run the container with /dev bound from the host and a device cgroup rule for each rpmsg major (majors are dynamic: read them from /proc/devices on the board).",
        commands: containerCommands
    )

    // MARK: RD206
    static func stopHolder(_ holders: [ProcessReference]) -> Remedy {
        Remedy("Only one process may hold an rpmsg endpoint at a time (5.13+). Stop the holder or share its file descriptor.",
               commands: holders.map { ShellCommand("ps", "-o", "pid,user,args", "-p", String($0.pid)) })
    }

    // MARK: RD207
    static func applyUdevRules(daemonDown: Bool) -> Remedy {
        Remedy(daemonDown ? "Start systemd-udevd (inside a container it usually does not run; apply permissions on the host)." : "Reload the rules and replay the add events.",
               commands: [ShellCommand("sudo", "udevadm", "control", "--reload"), ShellCommand("sudo", "udevadm", "trigger", "--action=add", "--subsystem-match=rpmsg"),
                          ShellCommand("sudo", "udevadm", "trigger", "--action=add", "--subsystem-match=tty", "--sysname-match=ttyRPMSG*"),
                          ShellCommand("sudo", "udevadm", "settle")])
    }

    // MARK: RD301
    static let enableRpmsgBus = Remedy(
        "Enable CONFIG_RPMSG_VIRTIO (and your SoC's remoteproc or vendor rpmsg driver), or load the modules.",
        commands: [ShellCommand("zcat", "/proc/config.gz").pipe("grep", "-E", "RPMSG|REMOTEPROC"), ShellCommand("sudo", "modprobe", "virtio_rpmsg_bus")]
    )

    // MARK: RD302
    enum ControlGeneration {
        /// Before 5.13: no ctrl from virtio; a channel can be bound to rpmsg_chrdev by hand.
        case driverOverride(channelDevice: String)
        /// 5.13 to 5.17, with rpmsg_char registered or not.
        case rpmsgChar(registered: Bool)
        /// 5.18 and later: rpmsg_ctrl and rpmsg_char.
        case rpmsgCtrl

        /// The kernel options this way needs, without CONFIG_.
        var options: [String] {
            switch self {
            case .driverOverride, .rpmsgChar: ["RPMSG_CHAR"]
            case .rpmsgCtrl: ["RPMSG_CTRL", "RPMSG_CHAR"]
            }
        }
    }

    static func rebuildKernel(with options: [String]) -> Remedy {
        Remedy("This kernel was built without \(options.map { "CONFIG_" + $0 }.joined(separator: " and ")): no module can be loaded. Build the kernel (or the vendor's) with \(options.map { "CONFIG_\($0)=m" }.joined(separator: ", ")), or y.",
               commands: [ShellCommand("zcat", "/proc/config.gz").pipe("grep", "-E", options.map { "CONFIG_" + $0 }.joined(separator: "|"))])
    }

    static func getControlDevice(_ generation: ControlGeneration) -> Remedy {
        switch generation {
        case .driverOverride(let device):
            Remedy("Before 5.13 virtio makes no control device: bind a channel to rpmsg_chrdev with driver_override (4.18+), or upgrade the kernel.",
                   commands: [ShellCommand("echo", "rpmsg_chrdev").pipe("sudo", "tee", "/sys/bus/rpmsg/devices/\(device)/driver_override"),
                              ShellCommand("echo", device).pipe("sudo", "tee", "/sys/bus/rpmsg/drivers/rpmsg_chrdev/bind")])
        case .rpmsgChar(registered: true):
            Remedy("On 5.13 to 5.17 rpmsg_char makes a control device per virtio device when it probes; it is registered, so the virtio device came up without it: look at the kernel log for its errors.",
                   commands: [ShellCommand("dmesg").pipe("grep", "-iE", "rpmsg_chrdev|rpmsg_char")])
        case .rpmsgChar(registered: false):
            Remedy("On 5.13 to 5.17 the control device comes from rpmsg_char (CONFIG_RPMSG_CHAR).",
                   commands: [ShellCommand("sudo", "modprobe", "rpmsg_char"), ShellCommand("zcat", "/proc/config.gz").pipe("grep", "RPMSG_CHAR")])
        case .rpmsgCtrl:
            Remedy("From 5.18 the control device comes from the rpmsg_ctrl driver (CONFIG_RPMSG_CTRL) and endpoints from rpmsg_char (CONFIG_RPMSG_CHAR).",
                   commands: [ShellCommand("sudo", "modprobe", "rpmsg_ctrl"), ShellCommand("sudo", "modprobe", "rpmsg_char"),
                              ShellCommand("zcat", "/proc/config.gz").pipe("grep", "-E", "RPMSG_(CTRL|CHAR)")])
        }
    }

    // MARK: RD304
    static let ownEndpoint = Remedy("Nothing binds this name, which is normal when your application creates its own endpoint through the control device.")

    static func optionalDriver(_ id: RpmsgDriverID) -> Remedy {
        Remedy("Nothing on this kernel binds this name, which is normal when your application creates its own endpoint through the control device. \(id.onlyIn ?? "Other") kernels have \(id.driver) (module \(id.module)) for it, if you expected its device.")
    }

    static func loadModule(_ module: String) -> Remedy {
        let autoload = module == "rpmsg_char"
            ? " Before mid-2025 rpmsg_char's module alias covered only rpmsg_chrdev, so a remote announcing rpmsg-raw does not load it by itself."
            : ""
        return Remedy("Load the module (or build it in): the driver then binds the channel and makes its device." + autoload,
                      commands: [ShellCommand("sudo", "modprobe", module), ShellCommand("echo", module).pipe("sudo", "tee", "/etc/modules-load.d/\(module).conf")])
    }

    /// `loading` names the module to load first when the driver is not registered.
    static func bindDriver(_ driver: String, to channel: Channel, loading module: String? = nil) -> Remedy {
        Remedy("Driver matching compares the whole name: rename the channel in the firmware, or force the driver with driver_override.",
               commands: (module.map { [ShellCommand("sudo", "modprobe", $0)] } ?? []) + [
                   ShellCommand("echo", driver).pipe("sudo", "tee", channel.sysfsPath + "/driver_override"),
                   ShellCommand("echo", channel.deviceName).pipe("sudo", "tee", "/sys/bus/rpmsg/drivers/\(driver)/bind"),
               ])
    }

    // MARK: RD305
    static let offerNameService = Remedy(
        "Set bit 0 (VIRTIO_RPMSG_F_NS) of the rpmsg vdev's dfeatures in the firmware's resource table (NXP SDK and Zephyr: RPMSG_IPU_C0_FEATURES 1), or create endpoints with the remote's address agreed in advance (--dst)."
    )

    // MARK: RD306
    static func announce(withRemoteproc: Bool) -> Remedy {
        Remedy(withRemoteproc
            ? "Check that the firmware creates its endpoint and announces it (rpmsg_ns_announce / OpenAMP rpmsg_create_ept with a name)."
            : "The remote must be running before Linux probes rpmsg (on i.MX: start it from U-Boot with bootaux before booting Linux), and must call its name-service announce.")
    }

    // MARK: RD401
    static func startRemote(_ remote: RemoteProcessor, crashed: Bool) -> Remedy {
        crashed
            ? Remedy("Recover the remote (a crashed remoteproc refuses start and stop), then reopen your endpoints: the old ones are gone.",
                     commands: [ShellCommand("echo", "recover").pipe("sudo", "tee", "/sys/class/remoteproc/\(remote.name)/recovery")])
            : Remedy("Start the remote processor; if a boot loader already started it, it must be attached instead.",
                     commands: [ShellCommand("echo", "start").pipe("sudo", "tee", "/sys/class/remoteproc/\(remote.name)/state")])
    }

    // MARK: RD402
    static func installFirmware(for remote: RemoteProcessor?) -> Remedy {
        Remedy("Install the firmware file under /lib/firmware with the name the remoteproc expects (or write the right name to its firmware attribute), then start it.",
               commands: remote.map { [ShellCommand("ls", "-l", "/lib/firmware/" + ($0.firmware ?? "")),
                                       ShellCommand("echo", "start").pipe("sudo", "tee", "/sys/class/remoteproc/\($0.name)/state")] } ?? [])
    }

    // MARK: RD403
    static let addResourceTable = Remedy("Link the firmware with a .resource_table section that declares the rpmsg vdev and its vrings.")

    static let signFirmware = Remedy(
        "Sign the firmware for OP-TEE with the vendor's signing tool, or boot a device tree whose remoteproc node loads plain ELF files (ST: compatible st,stm32mp1-m4 instead of st,stm32mp1-m4-tee)."
    )
    static let addResourceTableRegion = Remedy(
        "In IPC-only mode the core was started by the boot loader and Linux reads its resource table from the second memory-region of the core's device-tree node: add it as the board device trees of the SDK do, or let remoteproc load the firmware."
    )

    // MARK: RD404
    static let enableRpmsgNode = Remedy(
        "Boot with the device tree (or overlay) that enables the rpmsg node, with its vdev-nums, vrings, mailbox and reserved memory."
    )

    // MARK: RD405
    static let fixMailbox = Remedy(
        "Check the mailbox the remote is signalled through: the remoteproc node's mboxes and mbox-names in the device tree, the MU or IPCC node enabled and clocked, and that the remote side uses the same channels. After a U-Boot bootaux start, attach (or let remoteproc start the firmware) so both sides agree on the mailbox state.",
        commands: [ShellCommand("dmesg").pipe("grep", "-iE", "mbox|mailbox|kick|MU")]
    )

    // MARK: RD406
    static let reserveSharedMemory = Remedy(
        "Declare the vring and buffer carveouts (vdev0vring0, vdev0vring1, vdev0buffer, or the vendor's rpmsg region) as reserved-memory with no-map, inside RAM that exists on this board and overlapping nothing, and reference them from the remoteproc or rpmsg node's memory-region.",
        commands: [ShellCommand("cat", "/proc/iomem"), ShellCommand("ls", "/proc/device-tree/reserved-memory")]
    )

    // MARK: RD407
    static let readProbeError = Remedy(
        "The error number says why (-12 ENOMEM: its memory regions; -16 EBUSY: another driver holds the mailbox, e.g. the legacy imx_rpmsg node and imx_rproc both enabled; -517 EPROBE_DEFER left: a supplier never came). Fix the device-tree node the driver probes.",
        commands: [ShellCommand("dmesg").pipe("grep", "-iE", "rpmsg|rproc")]
    )

    // MARK: RD408
    static let uniqueVirtioTransport = Remedy(
        "The kernel names every remote's rproc-virtio device the same: it needs the fix that gives them automatic ids (\"remoteproc: core: Auto select rproc-virtio device id\", around 6.1). Update the kernel, or run one remote with rpmsg."
    )

    // MARK: RD409
    static let restartBothSides = Remedy(
        "A remote restarted alone keeps using the vring state of its previous life: restart it through remoteproc (stop, then start) so Linux rebuilds the vrings, and make the firmware restore its resource table on start."
    )

    // MARK: RD412
    enum VirtioSetupStop {
        /// ACKNOWLEDGE only: no virtio driver took the vdev.
        case noDriver(missingOptions: [String]?)
        /// FAILED: virtio_rpmsg_bus gave up; `badVrings` when a vring size is not a power of two.
        case probeFailed(badVrings: Bool)
        /// DRIVER without DRIVER_OK or FAILED: the probe never finished.
        case unfinished
        /// virtio_rpmsg_bus is registered, the device is not bound to it, and the log shows no failed probe.
        case unbound(device: String)
    }

    static func finishVirtioSetup(_ stop: VirtioSetupStop) -> Remedy {
        switch stop {
        case .noDriver(let missing?):
            Remedy("This kernel was built without \(missing.map { "CONFIG_\($0)" }.joined(separator: ", ")): rebuild it with CONFIG_RPMSG_VIRTIO=y or =m.")
        case .noDriver(nil):
            Remedy("Load virtio_rpmsg_bus (CONFIG_RPMSG_VIRTIO): it sets the vdev up and writes DRIVER_OK, which the remote waits for.",
                   commands: [ShellCommand("sudo", "modprobe", "virtio_rpmsg_bus")])
        case .probeFailed(badVrings: true):
            Remedy("Declare each vring of the rpmsg vdev with a power-of-two number of buffers (the SDKs use 16, 32 or 256) in the firmware's resource table, rebuild it and restart the core.")
        case .unbound(let device):
            Remedy("virtio_rpmsg_bus is registered but not bound to \(device): it was unbound, or its probe failed (the kernel log says why). Bind it, then look at the log.",
                   commands: [ShellCommand("echo", device).pipe("sudo", "tee", "/sys/bus/virtio/drivers/virtio_rpmsg_bus/bind"),
                              ShellCommand("dmesg").pipe("grep", "-iE", "virtio|vring|rpmsg")])
        case .probeFailed(badVrings: false), .unfinished:
            Remedy("The kernel log says why virtio_rpmsg_bus gave up (vring or buffer memory: see RD406); fix that and restart the core.",
                   commands: [ShellCommand("dmesg").pipe("grep", "-iE", "virtio|vring|rpmsg")])
        }
    }

    // MARK: RD501
    static let splitMessages = Remedy("Split messages into payloads of at most 496 bytes: virtio rpmsg buffers are 512 bytes with a 16-byte header.")

    // MARK: RD502
    static let fixRemoteReceivePath = Remedy(
        "Fix the remote's receive path: it must return buffers and kick the host (check its interrupt and mailbox setup). Until then blocking writes wait 15 s for a buffer; use O_NONBLOCK to fail fast with EAGAIN, and `rpmsg-doctor probe` to tell whether it still happens."
    )

    // MARK: RD503
    static let keepEndpointOpen = Remedy(
        "The remote answers an old or destroyed address: keep your endpoint open while you expect answers, or use a fixed src (>= 1024) the firmware knows."
    )

    // MARK: RD504
    static let freeSourceAddress = Remedy("Use src RPMSG_ADDR_ANY (0xffffffff) for a dynamic address, or a free one of 1024 or above.")
    static let sourceAboveStaticRange = Remedy(
        "Addresses below 1024 can clash with channels the kernel or other drivers create; prefer RPMSG_ADDR_ANY or an address of 1024 or above."
    )

    // MARK: RD505
    static func answerTheSender(src: RpmsgAddress?, probeArguments: [String]) -> Remedy {
        let sender = src.flatMap { $0.isAny ? nil : "src \($0.hex)" } ?? "the address the kernel gave your endpoint, shown in the remote's receive path"
        return Remedy(
            "The remote takes the messages but sends nothing back: check that its endpoint answers to the sender's address (\(sender)), that it is not waiting for another message first, and that it does not stall after the first message.",
            commands: [ShellCommand(["rpmsg-doctor", "probe", "--expect", "none"] + probeArguments)]
        )
    }

    // MARK: RD506
    static func checkEcho(onlyOtherData: Bool, probeArguments: [String]) -> Remedy {
        onlyOtherData
            ? Remedy("If the firmware answers with data of its own, that is normal: probe with --expect reply.",
                     commands: [ShellCommand(["rpmsg-doctor", "probe", "--expect", "reply"] + probeArguments)])
            : Remedy("The remote damages messages: check its buffer sizes (it must not copy into a smaller buffer) and that it echoes from the buffer it received.")
    }

    // MARK: RD507
    static let restartRemote = Remedy(
        "Restart or recover the remote, then reopen the endpoint: an endpoint whose channel or remote is gone fails with EPIPE. The kernel log says what the rpmsg bus saw at that moment.",
        commands: [ShellCommand("dmesg").pipe("grep", "-iE", "rpmsg|remoteproc").pipe("tail")]
    )

    // MARK: RD508
    static let matchBufferSizes = Remedy(
        "Make the remote's buffer size and count match Linux's (512-byte buffers; the vring sizes of the resource table), and invalidate the remote's data cache before it reads a buffer Linux wrote."
    )

    // MARK: RD901
    /// `missing`: there is no /dev/kmsg at all (a container, a copied tree); `asRoot`: sudo would change nothing.
    static func readKernelLog(missing: Bool, asRoot: Bool) -> Remedy {
        if missing {
            return Remedy("There is no /dev/kmsg here (inside a container, or a copied tree without one): take the kernel log on the host, or copy it into the tree as dev/kmsg.",
                          commands: [ShellCommand("dmesg")])
        }
        if asRoot {
            return Remedy("Even root could not read it: a security module or a container's seccomp profile may forbid it; take the kernel log on the host.")
        }
        return Remedy("Run again with sudo, or as a user with CAP_SYSLOG, to include the kernel log.", commands: [ShellCommand("sudo", "rpmsg-doctor", "scan")])
    }

    static let copyKernelLog = Remedy(
        "This copy of a board holds no readable kernel log: put it in the tree as dev/kmsg, a file of /dev/kmsg records (rpmsg-collect.sh does), or run the scan on the board."
    )

    // MARK: RD902
    static let attachSnapshot = Remedy(
        "What depends on these paths is left out. Missing or malformed sysfs attributes can also mean a vendor kernel with another layout: attach a snapshot to your report.",
        commands: [ShellCommand("rpmsg-doctor", "snapshot", "-o", "rpmsg-snapshot.json")]
    )
}
