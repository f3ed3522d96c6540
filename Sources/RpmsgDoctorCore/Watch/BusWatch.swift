/// What watch knows of the rpmsg bus, kept up to date by uevents: every virtio device, channel, control device,
/// endpoint device, tty and remoteproc, each placed by its sysfs path as scan places it (never by the numbers in
/// names). `apply` turns one uevent into the lines watch prints, with the findings a change matches; `tick` does
/// what depends on time (remoteproc states, which have no uevent, and a core that stays silent after a restart).
/// Its memory is the devices present plus bounded memories of what went away.
final class BusWatch {
    struct Core: Equatable {
        /// What identifies the core across restarts: its remoteproc, or its virtio devices' transport.
        var key: String
        var label: String
        var remoteProcessor: String?
    }

    struct VirtioRecord {
        var name: String
        var sysfsPath: String
        var core: Core
    }

    struct ChannelRecord {
        var device: String
        var sysfsPath: String
        var name: String
        var src: RpmsgAddress?
        var dst: RpmsgAddress?
        var driver: String?
        var virtio: String?
        var announced: Bool
    }

    struct ControlRecord {
        var name: String
        var node: String
        var sysfsPath: String
        var virtio: String?
    }

    struct EndpointRecord {
        var name: String
        var node: String
        var sysfsPath: String
        var endpointName: String?
        var src: RpmsgAddress?
        var dst: RpmsgAddress?
        var virtio: String?
        var control: String?
        var channel: String?
        var holders: [ProcessReference]
    }

    struct TTYRecord {
        var name: String
        var node: String
        var sysfsPath: String
        var channel: String?
        var virtio: String?
    }

    struct RemoteprocRecord {
        var name: String
        var sysfsPath: String
        var label: String
        var state: String?
    }

    struct DepartedChannel {
        var dst: RpmsgAddress?
        var virtio: String?
        var at: Double
    }

    struct DepartedCore {
        var virtio: String
        var channels: [ChannelRecord]
        var at: Double
    }

    struct PendingAnnouncement {
        var virtio: String
        var deadline: Double
        var before: DepartedCore
    }

    /// How many departed channels and cores are remembered.
    static var memoryCapacity: Int { 256 }

    /// What it reads at event time; an existential: events are few, and one copy of this code is enough.
    let reads: any WatchReads
    /// How long a core back after a restart may take to announce before RD410.
    let graceSeconds: Double
    /// How often remoteproc states are read: they change without a uevent.
    let pollSeconds: Double

    private(set) var virtios: [String: VirtioRecord] = [:]
    /// By sysfs path: channel names repeat across virtio devices.
    private(set) var channels: [String: ChannelRecord] = [:]
    private(set) var controls: [String: ControlRecord] = [:]
    private(set) var endpoints: [String: EndpointRecord] = [:]
    private(set) var ttys: [String: TTYRecord] = [:]
    private(set) var remoteprocs: [String: RemoteprocRecord] = [:]
    /// Announced channels and ctrls removed while their virtio device was already going, by virtio device.
    private var departingChannels = BoundedMemory<String, [ChannelRecord]>(capacity: memoryCapacity)
    private var departingControls = BoundedMemory<String, [String]>(capacity: memoryCapacity)
    /// By core and channel name.
    private var departedChannels = BoundedMemory<String, DepartedChannel>(capacity: memoryCapacity)
    private var departedCores = BoundedMemory<String, DepartedCore>(capacity: memoryCapacity)
    private(set) var pending: [String: PendingAnnouncement] = [:]
    private var nextPoll: Double

    /// How many things it holds: the devices present and what it remembers of those that went.
    var footprint: Int {
        virtios.count + channels.count + controls.count + endpoints.count + ttys.count + remoteprocs.count + pending.count
            + departingChannels.count + departingControls.count + departedChannels.count + departedCores.count
    }

    init(snapshot: Snapshot, reads: any WatchReads, now: Double, graceSeconds: Double = 3, pollSeconds: Double = 0.5) {
        self.reads = reads
        self.graceSeconds = graceSeconds
        self.pollSeconds = pollSeconds
        nextPoll = now + pollSeconds
        for remote in snapshot.remoteProcessors {
            remoteprocs[remote.name] = RemoteprocRecord(name: remote.name, sysfsPath: remote.sysfsPath, label: remote.label, state: remote.state)
        }
        for virtio in snapshot.virtioDevices {
            virtios[virtio.name] = VirtioRecord(name: virtio.name, sysfsPath: virtio.sysfsPath, core: core(ofPath: virtio.sysfsPath))
        }
        for channel in snapshot.channels {
            channels[channel.sysfsPath] = ChannelRecord(device: channel.deviceName, sysfsPath: channel.sysfsPath, name: channel.name, src: channel.src,
                                                        dst: channel.dst, driver: channel.driver, virtio: channel.virtio, announced: channel.role == .announced)
        }
        for control in snapshot.controlDevices {
            controls[control.name] = ControlRecord(name: control.name, node: control.node.path, sysfsPath: control.sysfsPath, virtio: control.virtio)
        }
        for endpoint in snapshot.endpointDevices {
            endpoints[endpoint.name] = EndpointRecord(name: endpoint.name, node: endpoint.node.path, sysfsPath: endpoint.sysfsPath, endpointName: endpoint.endpointName,
                                                      src: endpoint.src, dst: endpoint.dst, virtio: endpoint.virtio, control: endpoint.control,
                                                      channel: endpoint.hostChannel, holders: endpoint.holders)
        }
        for tty in snapshot.ttys {
            ttys[tty.name] = TTYRecord(name: tty.name, node: tty.node.path, sysfsPath: tty.sysfsPath, channel: tty.hostChannel, virtio: tty.virtio)
        }
    }

    // MARK: Baseline

    /// The state before any change, one line per remote core (and one saying there is none).
    func baseline(at time: WatchTime) -> [WatchEvent] {
        let byCore = Dictionary(grouping: virtios.values, by: \.core.key)
        var cores = byCore.values.compactMap(\.first?.core)
        for remote in remoteprocs.values where byCore[remote.name] == nil {
            cores.append(Core(key: remote.name, label: remote.label, remoteProcessor: remote.name))
        }
        if cores.isEmpty {
            var event = WatchEvent(.state, at: time)
            event.virtioDevices = []
            return [event]
        }
        return cores.sorted { $0.key.orderedNaturally(before: $1.key) }.map { core in
            var event = WatchEvent(.state, at: time)
            event.core = core.label
            event.remoteProcessor = core.remoteProcessor
            event.state = core.remoteProcessor.flatMap { remoteprocs[$0]?.state }
            event.virtioDevices = (byCore[core.key] ?? []).map(\.name).sorted { $0.orderedNaturally(before: $1) }.map(virtioState)
            return event
        }
    }

    private func virtioState(_ virtio: String) -> WatchEvent.VirtioState {
        WatchEvent.VirtioState(
            name: virtio,
            controls: controlNodes(on: virtio),
            channels: channels.values.filter { $0.virtio == virtio && $0.announced }.sorted { ($0.dst?.value ?? 0, $0.device) < ($1.dst?.value ?? 0, $1.device) }
                .map { WatchEvent.ChannelState(device: $0.device, name: $0.name, src: $0.src, dst: $0.dst, driver: $0.driver) },
            endpoints: endpoints.values.filter { $0.virtio == virtio }.sorted { $0.name.orderedNaturally(before: $1.name) }
                .map { WatchEvent.EndpointState(node: $0.node, name: $0.endpointName, src: $0.src, dst: $0.dst, control: $0.control, holders: $0.holders) },
            ttys: ttys.values.filter { $0.virtio == virtio }.sorted { $0.name.orderedNaturally(before: $1.name) }
                .map { WatchEvent.TTYState(node: $0.node, channel: $0.channel) }
        )
    }

    // MARK: Uevents

    /// The lines one uevent makes: none for devices that are not part of rpmsg (other ttys, other virtio devices) or
    /// that the baseline already has.
    func apply(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        switch uevent.subsystem {
        case "virtio": virtioEvent(uevent, at: time)
        case "rpmsg": isClassDevice(uevent) ? classEvent(uevent, at: time) : busEvent(uevent, at: time)
        case "tty": KernelNames.isRpmsgTTY(uevent.deviceName) ? ttyEvent(uevent, at: time) : []
        case "remoteproc": remoteprocEvent(uevent, at: time)
        default: []
        }
    }

    /// Control and endpoint devices are the rpmsg class's: below a "rpmsg" directory (endpoints below their ctrl),
    /// with a device number. Channels are bus devices, directly below their virtio device.
    private func isClassDevice(_ uevent: Uevent) -> Bool {
        uevent.properties["MAJOR"] != nil || uevent.devpath.split(separator: "/").dropLast().contains("rpmsg")
    }

    private func virtioEvent(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        let name = uevent.deviceName
        switch uevent.action {
        case .add:
            guard virtios[name]?.sysfsPath != uevent.sysfsPath, isRpmsgVirtio(uevent) else { return [] }
            let record = VirtioRecord(name: name, sysfsPath: uevent.sysfsPath, core: core(ofPath: uevent.sysfsPath))
            virtios[name] = record
            departingChannels.forget(name)
            departingControls.forget(name)
            var event = tied(.virtioAdded, at: time, virtio: name, path: uevent.sysfsPath)
            event.device = name
            if let before = departedCores.forget(record.core.key) {
                event.goneSeconds = time.monotonic - before.at
                if !before.channels.isEmpty {
                    pending[name] = PendingAnnouncement(virtio: name, deadline: time.monotonic + graceSeconds, before: before)
                }
            }
            return [event]
        case .remove:
            guard let record = virtios.removeValue(forKey: name) ?? (isRpmsgVirtio(uevent) ? VirtioRecord(name: name, sysfsPath: uevent.sysfsPath, core: core(ofPath: uevent.sysfsPath)) : nil)
            else { return [] }
            pending.removeValue(forKey: name)
            // Its children are removed before it; those still known went without a uevent of their own being seen.
            let left = channels.filter { $0.value.virtio == name }
            for path in left.keys { channels.removeValue(forKey: path) }
            let departed = (departingChannels.forget(name) ?? []) + left.values.filter(\.announced)
            let leftControls = controls.values.filter { $0.virtio == name }.map(\.node)
            for control in controls.values where control.virtio == name { controls.removeValue(forKey: control.name) }
            let goneEndpoints = endpoints.values.filter { $0.virtio == name }
            for endpoint in goneEndpoints { endpoints.removeValue(forKey: endpoint.name) }
            for tty in ttys.values where tty.virtio == name { ttys.removeValue(forKey: tty.name) }
            departedCores.remember(DepartedCore(virtio: name, channels: departed, at: time.monotonic), for: record.core.key)
            var event = WatchEvent(.virtioRemoved, at: time)
            tie(&event, core: record.core, virtio: name, path: uevent.sysfsPath)
            event.device = name
            event.controls = ((departingControls.forget(name) ?? []) + leftControls).sorted { $0.orderedNaturally(before: $1) }
            if !departed.isEmpty {
                event.findings = [remoteGone(record, channels: departed, endpoints: goneEndpoints, uevent: uevent)]
            }
            return [event]
        default:
            return []
        }
    }

    private func isRpmsgVirtio(_ uevent: Uevent) -> Bool {
        if let alias = uevent.properties["MODALIAS"] { return alias.hasPrefix("virtio:d00000007v") }
        let id = reads.attribute(uevent.sysfsPath + "/device")
        return id.flatMap { UInt32($0.trimmingWhitespace().dropFirst(2), radix: 16) } == 7
    }

    /// Devices on the rpmsg bus: announced channels, and the ctrl and name-service devices Linux makes itself.
    private func busEvent(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        let path = uevent.sysfsPath
        switch uevent.action {
        case .add:
            guard channels[path] == nil else { return [] }
            let channel = readChannel(uevent)
            channels[path] = channel
            guard channel.announced else { return [] }
            var event = channelEvent(.channelAnnounced, channel, at: time)
            if let virtio = channel.virtio { pending.removeValue(forKey: virtio) }
            let core = core(of: channel.virtio, path: path)
            if let before = departedChannels.forget(core.key + "\u{0}" + channel.name) {
                event.previousDst = before.dst
                if let old = before.dst, let new = channel.dst, old != new {
                    event.findings = [moved(channel, from: before, core: core, at: time)]
                }
            }
            return [event]
        case .bind, .unbind:
            channels[path]?.driver = uevent.action == .bind ? uevent.properties["DRIVER"] : nil
            return []
        case .remove:
            let channel = channels.removeValue(forKey: path) ?? readChannel(uevent)
            guard channel.announced else { return [] }
            var event = channelEvent(.channelDestroyed, channel, at: time)
            let core = core(of: channel.virtio, path: path)
            departedChannels.remember(DepartedChannel(dst: channel.dst, virtio: channel.virtio, at: time.monotonic), for: core.key + "\u{0}" + channel.name)
            if let virtio = channel.virtio, virtioGoing(virtio) {
                event.withVirtio = true
                departingChannels.remember((departingChannels[virtio] ?? []) + [channel], for: virtio)
            } else if let finding = endpointsLeftBehind(by: channel) {
                event.findings = [finding]
            }
            return [event]
        default:
            return []
        }
    }

    /// A channel's name and addresses from sysfs, or, when it is gone already, from its uevent and device name.
    private func readChannel(_ uevent: Uevent) -> ChannelRecord {
        let path = uevent.sysfsPath
        let ancestry = SysfsAncestry(resolvedPath: SysPath(path), ownName: uevent.deviceName)
        let parsed = ChannelDeviceName(uevent.deviceName)
        let alias = uevent.properties["MODALIAS"].flatMap { $0.hasPrefix("rpmsg:") ? String($0.dropFirst("rpmsg:".count)) : nil }
        let live = uevent.action == .add
        let name = (live ? reads.attribute(path + "/name") : nil) ?? alias ?? parsed?.name ?? uevent.deviceName
        let src = (live ? reads.attribute(path + "/src") : nil).flatMap(RpmsgAddress.init(parsing:)) ?? parsed?.src
        let dst = (live ? reads.attribute(path + "/dst") : nil).flatMap(RpmsgAddress.init(parsing:)) ?? parsed?.dst
        let driver = uevent.properties["DRIVER"] ?? (live ? reads.linkName(path + "/driver") : nil)
        let role = Channel(deviceName: uevent.deviceName, name: name, src: src, dst: dst, virtio: ancestry.virtio, sysfsPath: path).role
        return ChannelRecord(device: uevent.deviceName, sysfsPath: path, name: name, src: src, dst: dst, driver: driver, virtio: ancestry.virtio,
                             announced: role == .announced)
    }

    private func channelEvent(_ kind: WatchEvent.Kind, _ channel: ChannelRecord, at time: WatchTime) -> WatchEvent {
        var event = tied(kind, at: time, virtio: channel.virtio, path: channel.sysfsPath)
        event.device = channel.device
        event.name = channel.name
        event.src = channel.src
        event.dst = channel.dst
        event.driver = channel.driver
        return event
    }

    /// The kernel removes a virtio device's bus link before its children: a child removed while the link is gone
    /// goes with its virtio device (crash, stop), one removed while it is there went alone (name-service destroy).
    private func virtioGoing(_ virtio: String) -> Bool {
        !reads.exists("/sys/bus/virtio/devices/" + virtio)
    }

    /// Control and endpoint devices (the rpmsg class).
    private func classEvent(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        let name = uevent.deviceName
        let ancestry = SysfsAncestry(resolvedPath: SysPath(uevent.sysfsPath), ownName: name)
        if KernelNames.isNumbered(name, prefix: "rpmsg_ctrl") {
            switch uevent.action {
            case .add:
                guard controls[name]?.sysfsPath != uevent.sysfsPath else { return [] }
                let control = ControlRecord(name: name, node: uevent.node ?? "/dev/" + name, sysfsPath: uevent.sysfsPath, virtio: ancestry.virtio)
                controls[name] = control
                var event = tied(.controlAdded, at: time, virtio: control.virtio, path: control.sysfsPath)
                event.device = name
                event.node = control.node
                return [event]
            case .remove:
                let control = controls.removeValue(forKey: name)
                    ?? ControlRecord(name: name, node: uevent.node ?? "/dev/" + name, sysfsPath: uevent.sysfsPath, virtio: ancestry.virtio)
                var event = tied(.controlRemoved, at: time, virtio: control.virtio, path: control.sysfsPath)
                event.device = name
                event.node = control.node
                if let virtio = control.virtio, virtioGoing(virtio) {
                    event.withVirtio = true
                    departingControls.remember((departingControls[virtio] ?? []) + [control.node], for: virtio)
                }
                return [event]
            default:
                return []
            }
        }
        guard KernelNames.isNumbered(name, prefix: "rpmsg") else { return [] }
        switch uevent.action {
        case .add:
            guard endpoints[name]?.sysfsPath != uevent.sysfsPath else { return [] }
            let path = uevent.sysfsPath
            let node = uevent.node ?? "/dev/" + name
            var endpoint = EndpointRecord(
                name: name, node: node, sysfsPath: path, endpointName: reads.attribute(path + "/name"),
                src: reads.attribute(path + "/src").flatMap(RpmsgAddress.init(parsing:)), dst: reads.attribute(path + "/dst").flatMap(RpmsgAddress.init(parsing:)),
                virtio: ancestry.virtio, control: ancestry.control, channel: ancestry.control == nil ? ancestry.hostChannel : nil, holders: []
            )
            let controlNode = endpoint.control.map { controls[$0]?.node ?? "/dev/" + $0 }
            let holders = reads.holders(of: Set([node] + (controlNode.map { [$0] } ?? [])))
            endpoint.holders = holders[node] ?? []
            endpoints[name] = endpoint
            var event = endpointEvent(.endpointCreated, endpoint, at: time)
            if endpoint.holders.isEmpty, let controlNode, let creators = holders[controlNode] { event.controlHolders = creators }
            return [event]
        case .remove:
            var endpoint = endpoints.removeValue(forKey: name)
                ?? EndpointRecord(name: name, node: uevent.node ?? "/dev/" + name, sysfsPath: uevent.sysfsPath, virtio: ancestry.virtio, control: ancestry.control,
                                  channel: ancestry.control == nil ? ancestry.hostChannel : nil, holders: [])
            if let holders = reads.holders(of: [endpoint.node])[endpoint.node] { endpoint.holders = holders }
            var event = endpointEvent(.endpointDestroyed, endpoint, at: time)
            if let virtio = endpoint.virtio, virtioGoing(virtio) { event.withVirtio = true }
            return [event]
        default:
            return []
        }
    }

    private func endpointEvent(_ kind: WatchEvent.Kind, _ endpoint: EndpointRecord, at time: WatchTime) -> WatchEvent {
        var event = tied(kind, at: time, virtio: endpoint.virtio, path: endpoint.sysfsPath)
        event.device = endpoint.name
        event.node = endpoint.node
        event.name = endpoint.endpointName
        event.src = endpoint.src
        event.dst = endpoint.dst
        event.control = endpoint.control.map { controls[$0]?.node ?? "/dev/" + $0 }
        event.channel = endpoint.channel
        event.holders = endpoint.holders
        return event
    }

    private func ttyEvent(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        let name = uevent.deviceName
        switch uevent.action {
        case .add:
            guard ttys[name]?.sysfsPath != uevent.sysfsPath else { return [] }
            let ancestry = SysfsAncestry(resolvedPath: SysPath(uevent.sysfsPath), ownName: name)
            var tty = TTYRecord(name: name, node: uevent.node ?? "/dev/" + name, sysfsPath: uevent.sysfsPath, channel: ancestry.hostChannel, virtio: ancestry.virtio)
            if tty.channel == nil,
               let channel = channels.values.first(where: { KernelNames.isImxTTY(named: name, ofChannelBoundBy: $0.driver, at: $0.dst) }) {
                tty.channel = channel.device
                tty.virtio = channel.virtio
            }
            ttys[name] = tty
            return [ttyEvent(.ttyAdded, tty, at: time)]
        case .remove:
            let tty = ttys.removeValue(forKey: name)
                ?? TTYRecord(name: name, node: uevent.node ?? "/dev/" + name, sysfsPath: uevent.sysfsPath, channel: nil, virtio: nil)
            var event = ttyEvent(.ttyRemoved, tty, at: time)
            if let virtio = tty.virtio, virtioGoing(virtio) { event.withVirtio = true }
            return [event]
        default:
            return []
        }
    }

    private func ttyEvent(_ kind: WatchEvent.Kind, _ tty: TTYRecord, at time: WatchTime) -> WatchEvent {
        var event = tied(kind, at: time, virtio: tty.virtio, path: tty.sysfsPath)
        event.device = tty.name
        event.node = tty.node
        event.channel = tty.channel
        if let channel = channels.values.first(where: { $0.device == tty.channel }) {
            event.name = channel.name
            event.dst = channel.dst
            event.driver = channel.driver
        }
        return event
    }

    private func remoteprocEvent(_ uevent: Uevent, at time: WatchTime) -> [WatchEvent] {
        let name = uevent.deviceName
        guard KernelNames.isNumbered(name, prefix: "remoteproc") else { return [] }
        switch uevent.action {
        case .add:
            guard remoteprocs[name]?.sysfsPath != uevent.sysfsPath else { return [] }
            let remote = RemoteProcessor(name: name, sysfsPath: uevent.sysfsPath, processorName: reads.attribute(uevent.sysfsPath + "/name"))
            let record = RemoteprocRecord(name: name, sysfsPath: uevent.sysfsPath, label: remote.label, state: reads.attribute(uevent.sysfsPath + "/state"))
            remoteprocs[name] = record
            return [remoteprocEvent(.remoteprocAdded, record, at: time)]
        case .remove:
            let record = remoteprocs.removeValue(forKey: name)
                ?? RemoteprocRecord(name: name, sysfsPath: uevent.sysfsPath, label: RemoteProcessor(name: name, sysfsPath: uevent.sysfsPath).label, state: nil)
            return [remoteprocEvent(.remoteprocRemoved, record, at: time)]
        default:
            return []
        }
    }

    private func remoteprocEvent(_ kind: WatchEvent.Kind, _ record: RemoteprocRecord, at time: WatchTime) -> WatchEvent {
        var event = WatchEvent(kind, at: time)
        event.core = record.label
        event.remoteProcessor = record.name
        event.device = record.name
        event.state = record.state
        event.sysfsPath = record.sysfsPath
        return event
    }

    // MARK: Time

    /// When `tick` has something to do next: a remoteproc state to read, or a core's time to announce running out.
    var nextDeadline: Double? {
        let deadlines = pending.values.map(\.deadline) + (remoteprocs.isEmpty ? [] : [nextPoll])
        return deadlines.min()
    }

    /// Reads the remoteprocs' states (at most every `pollSeconds`), and says which cores back after a restart have
    /// not announced within `graceSeconds`.
    func tick(at time: WatchTime) -> [WatchEvent] {
        var events: [WatchEvent] = []
        if time.monotonic >= nextPoll {
            nextPoll = time.monotonic + pollSeconds
            for name in remoteprocs.keys.sorted(by: { $0.orderedNaturally(before: $1) }) {
                guard let record = remoteprocs[name], let state = reads.attribute(record.sysfsPath + "/state"), state != record.state else { continue }
                remoteprocs[name]?.state = state
                var event = remoteprocEvent(.remoteprocState, record, at: time)
                event.state = state
                event.previousState = record.state
                if state == "crashed" { event.findings = [crashed(record, previous: record.state)] }
                events.append(event)
            }
        }
        for virtio in pending.keys.sorted(by: { $0.orderedNaturally(before: $1) }) {
            guard let waiting = pending[virtio], waiting.deadline <= time.monotonic else { continue }
            pending.removeValue(forKey: virtio)
            guard let record = virtios[virtio] else { continue }
            var event = tied(.announcementMissing, at: time, virtio: virtio, path: record.sysfsPath)
            event.device = virtio
            event.findings = [backWithoutAnnouncing(record, waiting)]
            events.append(event)
        }
        return events
    }

    // MARK: Placing

    func core(ofPath path: String) -> Core {
        let ancestry = SysfsAncestry(resolvedPath: SysPath(path))
        if let remote = ancestry.remoteProcessor {
            let components = path.split(separator: "/", omittingEmptySubsequences: true)
            let prefix = components.lastIndex { $0 == remote }.map { "/" + components[...$0].joined(separator: "/") } ?? path
            let label = remoteprocs[remote]?.label ?? RemoteProcessor(name: remote, sysfsPath: prefix).label
            return Core(key: remote, label: label, remoteProcessor: remote)
        }
        let parent = ancestry.transportParent ?? ancestry.virtio ?? "unknown core"
        return Core(key: parent, label: parent, remoteProcessor: nil)
    }

    private func core(of virtio: String?, path: String) -> Core {
        virtio.flatMap { virtios[$0]?.core } ?? core(ofPath: path)
    }

    private func controlNodes(on virtio: String?) -> [String] {
        controls.values.filter { $0.virtio == virtio }.map(\.node).sorted { $0.orderedNaturally(before: $1) }
    }

    /// An event tied to its virtio device, remote core and control devices.
    private func tied(_ kind: WatchEvent.Kind, at time: WatchTime, virtio: String?, path: String) -> WatchEvent {
        var event = WatchEvent(kind, at: time)
        tie(&event, core: core(of: virtio, path: path), virtio: virtio, path: path)
        return event
    }

    private func tie(_ event: inout WatchEvent, core: Core, virtio: String?, path: String) {
        event.core = core.label
        event.remoteProcessor = core.remoteProcessor
        event.virtio = virtio
        event.controls = controlNodes(on: virtio)
        event.sysfsPath = path
    }

    // MARK: Findings

    private func remoteGone(_ virtio: VirtioRecord, channels: [ChannelRecord], endpoints: [EndpointRecord], uevent: Uevent) -> Finding {
        var evidence = ["\(uevent.devpath): removed (uevent remove)"]
        evidence += channels.map { "channel \(label($0)) went with it" }
        evidence += endpoints.map { "endpoint \($0.node) (dst \($0.dst?.hex ?? "?")) went with it" + heldBy($0.holders) }
        if let remote = virtio.core.remoteProcessor, let record = remoteprocs[remote] {
            evidence.append("\(record.label): state \(reads.attribute(record.sysfsPath + "/state") ?? record.state ?? "?")")
        }
        let names = channels.map { label($0) }.joined(separator: ", ")
        return Finding(.remoteGone, "The remote on \(virtio.core.label) went away: \(virtio.name) is gone with \(names); it crashed, was stopped or restarts",
                       evidence: evidence, remedy: .restartRemote)
    }

    /// Endpoints made through a ctrl that still send to the address a channel just left, on the same virtio device.
    private func endpointsLeftBehind(by channel: ChannelRecord) -> Finding? {
        guard let dst = channel.dst else { return nil }
        let left = endpoints.values.filter { $0.virtio == channel.virtio && $0.dst == dst && $0.control != nil && reads.exists($0.sysfsPath) }
            .sorted { $0.name.orderedNaturally(before: $1.name) }
        guard !left.isEmpty else { return nil }
        let holders = reads.holders(of: Set(left.map(\.node)))
        let nodes = left.map(\.node).joined(separator: ", ")
        var evidence = ["channel \(label(channel)) destroyed by the remote; \(channel.virtio ?? "its virtio device") is still there"]
        evidence += left.map { endpoint in
            "\(endpoint.node): name \"\(endpoint.endpointName ?? "?")\" src \(endpoint.src?.hex ?? "?") dst \(dst.hex) via \(endpoint.control ?? "?")"
                + heldBy(holders[endpoint.node] ?? endpoint.holders)
        }
        return Finding(.endpointToDepartedAddress,
                       "\(nodes) still send\(left.count == 1 ? "s" : "") to \(dst.hex), which \"\(channel.name)\" left: the remote drops what is written there",
                       evidence: evidence, remedy: .reopenEndpoints(left.flatMap { holders[$0.node] ?? $0.holders }))
    }

    private func moved(_ channel: ChannelRecord, from before: DepartedChannel, core: Core, at time: WatchTime) -> Finding {
        let old = before.dst?.hex ?? "?"
        var evidence = ["destroyed \(Self.seconds(time.monotonic - before.at)) s ago at \(old) on \(before.virtio ?? "?")",
                        "announced now at \(channel.dst?.hex ?? "?") on \(channel.virtio ?? "?")"]
        evidence += endpoints.values.filter { $0.dst == before.dst && core.key == self.core(of: $0.virtio, path: $0.sysfsPath).key }
            .sorted { $0.name.orderedNaturally(before: $1.name) }.map { "\($0.node) still sends to \(old)" + heldBy($0.holders) }
        return Finding(.channelMoved, "Channel \"\(channel.name)\" is back on \(core.label) at \(channel.dst?.hex ?? "?"), no longer at \(old)",
                       evidence: evidence, remedy: .findChannelByName(channel.name))
    }

    private func backWithoutAnnouncing(_ virtio: VirtioRecord, _ waiting: PendingAnnouncement) -> Finding {
        let before = waiting.before.channels.map { label($0) }.joined(separator: ", ")
        let evidence = ["\(waiting.before.virtio) went \(Self.seconds(waiting.deadline - graceSeconds - waiting.before.at)) s before \(virtio.name) came",
                        "before it went it announced \(before)",
                        "\(Self.seconds(graceSeconds)) s after \(virtio.name) came: no channel announced"]
            + controlNodes(on: virtio.name).map { "\($0) belongs to \(virtio.name)" }
        return Finding(.backWithoutAnnouncing,
                       "The remote on \(virtio.core.label) came back (\(virtio.name)) but announced nothing within \(Self.seconds(graceSeconds)) s; before it announced \(before)",
                       evidence: evidence, remedy: .announceOnEveryStart)
    }

    private func crashed(_ record: RemoteprocRecord, previous: String?) -> Finding {
        let remote = RemoteProcessor(name: record.name, sysfsPath: record.sysfsPath, state: "crashed")
        var evidence = ["\(record.sysfsPath)/state: \(previous ?? "?") -> crashed"]
        if let recovery = reads.attribute(record.sysfsPath + "/recovery") { evidence.append("\(record.sysfsPath)/recovery: \(recovery)") }
        return Finding(.remoteNotRunning, severity: .error, "\(record.label) crashed", evidence: evidence, remedy: .startRemote(remote, crashed: true))
    }

    private func label(_ channel: ChannelRecord) -> String {
        "\"\(channel.name)\" (dst \(channel.dst?.hex ?? "?"))"
    }

    private func heldBy(_ holders: [ProcessReference]) -> String {
        holders.isEmpty ? "" : ", held by " + holders.map { "\($0.pid) (\($0.command))" }.joined(separator: ", ")
    }

    /// "2.5": seconds with one decimal, without Foundation.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    /// rpmsg_ctrl2 before rpmsg_ctrl10: numbers in names compare as numbers.
    func orderedNaturally(before other: String) -> Bool {
        let split = { (text: String) -> (String, Int) in
            let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
            return (String(text.dropLast(digits.count)), Int(String(digits.reversed())) ?? -1)
        }
        let (lhs, rhs) = (split(self), split(other))
        return lhs.0 != rhs.0 ? self < other : lhs.1 < rhs.1
    }
}
