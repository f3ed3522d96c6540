/// What every rule reads: the snapshot, the lookups built once over it, what the user means to do, and the kernel log.
struct DiagnosisContext {
    let snapshot: Snapshot
    let index: TopologyIndex
    let intent: Intent
    let log: KernelLogScan
    /// What rules reading the system itself (sysfs, debugfs) found, which several rules weigh: computed once.
    let unboundTransports: [DeviceTreeNode]
    let remotesWithoutResourceTable: [RemoteProcessor]
    let unreadyVdevs: [UnreadyVdev]

    init(snapshot: Snapshot, intent: Intent) {
        self.snapshot = snapshot
        self.index = TopologyIndex(snapshot: snapshot)
        self.intent = intent
        self.log = KernelLogScan(snapshot.kernelLog)
        unboundTransports = UnboundTransportRule.unboundTransports(in: snapshot)
        remotesWithoutResourceTable = MissingResourceTableRule.remotesWithoutResourceTable(in: snapshot)
        unreadyVdevs = VirtioNotReadyRule.unreadyVdevs(in: snapshot)
    }

    /// The devices whose failure, by code, a rule reading the system reports with its own evidence, quoting the
    /// kernel log's lines about them: the log rule leaves those lines to it.
    var reportedFromSystem: [FindingCode: Set<String>] {
        [
            .transportProbeFailed: Set(unboundTransports.compactMap(\.platformDeviceName)),
            .noResourceTable: Set(remotesWithoutResourceTable.flatMap(\.logNames)),
        ]
    }

    /// Without an rpmsg bus every other kernel check is noise: RD301 says it all.
    var rpmsgBusPresent: Bool { snapshot.system.rpmsgBusPresent != false || !snapshot.virtioDevices.isEmpty }
}

/// One check of a snapshot: the codes it may raise, and the findings it raises for a context.
protocol DiagnosisRule: Sendable {
    var codes: Set<FindingCode> { get }
    func findings(in context: DiagnosisContext) -> [Finding]
}

/// Every rule scan runs, in one place: a new finding is a catalog entry, a rule here, and its tests.
enum RuleRegistry {
    static let rules: [any DiagnosisRule] = [
        IntentRule(), EndpointOnWrongVirtioRule(), ControlNumberingRule(),
        PermissionRule(), NodeMissingRule(), NodeMismatchRule(), ContainerRule(), EndpointBusyRule(), UdevNotAppliedRule(),
        NoRpmsgBusRule(), NoControlRule(), NoNameServiceRule(), ChannelWithoutDriverRule(),
        RemoteNotRunningRule(), RpmsgNodeDisabledRule(), UnboundTransportRule(), MissingResourceTableRule(), VirtioNotReadyRule(),
        NothingAnnouncedRule(),
        KernelLogRule(), IntendedSourceRule(),
        KernelLogUnreadableRule(), PartlyUnreadableRule(),
    ]
}
