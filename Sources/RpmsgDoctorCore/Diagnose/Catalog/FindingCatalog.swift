/// Which severities a code may carry: one, or several chosen by the evidence (the first is the usual one).
public struct SeverityPolicy: Equatable, Sendable {
    public let allowed: [Severity]
    /// When it varies, on what: the docs' severity column says the same.
    public let varies: String?

    public static func always(_ severity: Severity) -> SeverityPolicy { SeverityPolicy(allowed: [severity], varies: nil) }

    public static func varies(_ allowed: Severity..., on reason: String) -> SeverityPolicy { SeverityPolicy(allowed: allowed, varies: reason) }

    public var usual: Severity { allowed[0] }

    /// "error", or "warning/error" when it varies (the usual one first).
    public var text: String { allowed.map(\.rawValue).joined(separator: "/") }
}

/// Who raises a code: scan from the state of the system, probe from what happened when it sent messages, watch from
/// a change it saw on the bus.
public enum FindingSource: String, Sendable, CaseIterable {
    case scan, probe, both, watch
}

/// A code's entry: everything about it that does not depend on the system it is raised on.
public struct CatalogEntry: Sendable {
    public let title: String
    public let severity: SeverityPolicy
    public let source: FindingSource
    /// Whether watch raises it too, from a change it saw, besides its source (scan or probe).
    public var watchToo = false

    /// Who emits it, as the findings index says: "probe", or "probe, watch".
    public var emittedBy: String { watchToo ? "\(source.rawValue), watch" : source.rawValue }

    /// Whether scan raises it from the state of a system (alone or with probe).
    public var isScanCode: Bool { source == .scan || source == .both }
}

extension FindingCode {
    public var entry: CatalogEntry {
        switch self {
        case .route: CatalogEntry(title: "How to reach the channel you named", severity: .always(.info), source: .scan)
        case .wrongControl: CatalogEntry(title: "Control device on another virtio device than the channel", severity: .always(.error), source: .scan)
        case .notAnnounced:
            CatalogEntry(title: "Nothing announced the address or service you named",
                         severity: .varies(.warning, .error, on: "error for a service given alone; warning for an address (with or without a service), or when a virtio device lacks the name service"),
                         source: .both)
        case .controlNumbering: CatalogEntry(title: "Several virtio devices: rpmsg_ctrlN is not virtioN", severity: .always(.info), source: .scan)
        case .endpointOnWrongVirtio: CatalogEntry(title: "An endpoint sends to an address that lives on another virtio device", severity: .always(.error), source: .scan)
        case .noControlForVirtio: CatalogEntry(title: "No control device on the virtio device of a channel", severity: .always(.error), source: .both)
        case .unknownControl: CatalogEntry(title: "The device you named is not an rpmsg device the command can use", severity: .always(.error), source: .both)
        case .permissionDenied: CatalogEntry(title: "You cannot open an rpmsg device node", severity: .always(.error), source: .both)
        case .nodeMissing: CatalogEntry(title: "Device node missing from /dev", severity: .always(.error), source: .both)
        case .nodeMismatch: CatalogEntry(title: "Device node does not match the kernel's device", severity: .always(.error), source: .scan)
        case .container: CatalogEntry(title: "Running inside a container", severity: .always(.info), source: .scan)
        case .endpointBusy:
            CatalogEntry(title: "Endpoint device held open by a process",
                         severity: .varies(.info, .error, on: "info from scan; error from probe (open() failed with EBUSY)"), source: .both)
        case .udevNotApplied: CatalogEntry(title: "udev has not handled the rpmsg devices", severity: .always(.warning), source: .scan)
        case .noRpmsgBus: CatalogEntry(title: "No rpmsg bus in this kernel", severity: .always(.error), source: .scan)
        case .noControlDevices:
            CatalogEntry(title: "No rpmsg control device",
                         severity: .varies(.error, .warning, on: "error; warning while ttys or rpmsg-raw endpoint devices still work there"), source: .scan)
        case .channelWithoutDriver:
            CatalogEntry(title: "Channel with no driver bound",
                         severity: .varies(.info, .warning, on: "info; warning when the name is close to a driver's, or when the driver that binds it is not loaded or did not bind"),
                         source: .scan)
        case .noNameService: CatalogEntry(title: "The remote does not offer the name service", severity: .always(.warning), source: .scan)
        case .nothingAnnounced: CatalogEntry(title: "The remote announced no channel", severity: .always(.warning), source: .scan)
        case .remoteNotRunning:
            CatalogEntry(title: "Remote processor not running",
                         severity: .varies(.warning, .error, on: "error when crashed; warning for other states"), source: .scan, watchToo: true)
        case .firmwareLoadFailed: CatalogEntry(title: "Firmware could not be loaded", severity: .always(.error), source: .scan)
        case .noResourceTable: CatalogEntry(title: "Firmware without a resource table", severity: .always(.error), source: .scan)
        case .rpmsgNodeDisabled:
            CatalogEntry(title: "rpmsg device-tree node disabled or without virtio devices",
                         severity: .varies(.error, .warning, on: "error for a disabled node; warning for the log-only form"), source: .scan)
        case .remoteNotNotified: CatalogEntry(title: "The remote is not notified: kick or mailbox failures", severity: .always(.error), source: .scan)
        case .sharedMemoryMissing: CatalogEntry(title: "No shared memory for the vrings and buffers", severity: .always(.error), source: .scan)
        case .transportProbeFailed: CatalogEntry(title: "A driver of the rpmsg transport did not take its device", severity: .always(.error), source: .scan)
        case .duplicateVirtioTransport: CatalogEntry(title: "Two remote processors' virtio transports collide", severity: .always(.error), source: .scan)
        case .staleVrings: CatalogEntry(title: "The remote restarted on stale vrings", severity: .always(.warning), source: .scan)
        case .backWithoutAnnouncing: CatalogEntry(title: "The remote came back without announcing its channels", severity: .always(.error), source: .watch)
        case .channelMoved: CatalogEntry(title: "A channel came back on another address", severity: .always(.warning), source: .watch)
        case .virtioNotReady: CatalogEntry(title: "Linux did not finish setting up the remote's rpmsg device", severity: .always(.error), source: .scan)
        case .messageTooBig:
            CatalogEntry(title: "A message over the 496-byte payload limit",
                         severity: .varies(.warning, .error, on: "warning from the log; error from probe"), source: .both)
        case .remoteNotConsuming:
            CatalogEntry(title: "The remote does not consume messages",
                         severity: .varies(.warning, .error, on: "warning from the log; error from probe"), source: .both)
        case .noRecipient: CatalogEntry(title: "The remote sent to an address nobody listens on", severity: .always(.warning), source: .scan)
        case .addressTaken:
            CatalogEntry(title: "Local address taken or reserved",
                         severity: .varies(.warning, .error, on: "warning from the log or for a `--src` below 1024; error for a `--src` that is held or 53, and from probe"),
                         source: .both)
        case .remoteSilent: CatalogEntry(title: "The remote receives but does not answer", severity: .always(.error), source: .probe)
        case .remoteAnswersOtherData:
            CatalogEntry(title: "Answers are not the echo of what was sent",
                         severity: .varies(.error, .warning, on: "error; warning when every wrong answer is other data"), source: .probe)
        case .remoteGone: CatalogEntry(title: "The remote went away", severity: .always(.error), source: .probe, watchToo: true)
        case .inboundMessageTooBig: CatalogEntry(title: "The remote sent a message longer than Linux's buffers", severity: .always(.warning), source: .scan)
        case .endpointToDepartedAddress: CatalogEntry(title: "An endpoint still sends to an address that is gone", severity: .always(.error), source: .watch)
        case .ttyAnswersEndpointDoesNot: CatalogEntry(title: "The channel's tty answers where the endpoint does not", severity: .always(.error), source: .probe)
        case .kernelLogUnreadable: CatalogEntry(title: "Kernel log not readable", severity: .always(.info), source: .scan)
        case .partlyUnreadable: CatalogEntry(title: "Some of the system could not be read", severity: .always(.info), source: .scan)
        }
    }
}
