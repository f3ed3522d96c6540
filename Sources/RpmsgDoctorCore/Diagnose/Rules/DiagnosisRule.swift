/// What every rule reads: the snapshot, the lookups built once over it, what the user means to do, and the kernel log.
struct DiagnosisContext {
    let snapshot: Snapshot
    let index: TopologyIndex
    let intent: Intent
    let log: KernelLogScan

    init(snapshot: Snapshot, intent: Intent) {
        self.snapshot = snapshot
        self.index = TopologyIndex(snapshot: snapshot)
        self.intent = intent
        self.log = KernelLogScan(snapshot.kernelLog)
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
