/// `rpmsg-doctor watch` for people: one line per change, stamped with CLOCK_MONOTONIC as dmesg stamps the kernel log,
/// and one line per finding the change matches.
public struct WatchText {
    public let style: Style

    public init(style: Style) {
        self.style = style
    }

    /// The event's line, and its findings' lines.
    public func lines(_ event: WatchEvent) -> [SafeText] {
        var lines = [stamp(event.monotonic) + " " + body(event)]
        for finding in event.findings {
            lines.append("             " + style.severity(finding.severity) + "[\(finding.id.rawValue)] \(finding.summary); see: \(finding.id.explainCommand)")
        }
        return lines
    }

    /// `[   123.456]`, as dmesg prints its timestamps.
    func stamp(_ seconds: Double) -> SafeText {
        let milliseconds = Int((max(0, seconds) * 1000).rounded())
        let whole = String(milliseconds / 1000)
        return "[\(String(repeating: " ", count: max(0, 8 - whole.count)) + whole).\(String(milliseconds % 1000).leftPadded(to: 3))]"
    }

    private func body(_ event: WatchEvent) -> SafeText {
        let kind = SafeText(event.event.words.padding(to: 19))
        switch event.event {
        case .started:
            let source: SafeText = event.source == .udev
                ? "udev's events (systemd-udevd runs)" : "the kernel's events (systemd-udevd does not run)"
            return "watching \((event.subsystems ?? []).joined(separator: ", ")) through " + source + "; times are CLOCK_MONOTONIC, as in dmesg"
        case .state:
            return kind + state(event)
        case .channelAnnounced, .channelDestroyed:
            // A channel's src is the remote's and reads ANY: not worth a word unless it is something else.
            let src = event.src.flatMap { $0.isAny ? nil : $0.hex }
            var text = kind + "\"\(event.name ?? "?")\"" + fields([("src", src), ("dst", event.dst?.hex), ("driver", event.driver)]) + placement(event)
            if let previous = event.previousDst { text += "  back, before at \(previous.hex)" }
            if event.withVirtio == true { text += "  with its virtio device" }
            return text
        case .controlAdded, .controlRemoved:
            return kind + "\(event.node ?? "?")" + placement(event, controls: false) + (event.withVirtio == true ? "  with its virtio device" : "")
        case .endpointCreated, .endpointDestroyed:
            var via: SafeText = ""
            if let control = event.control { via = " via \(control)" } else if let channel = event.channel { via = " for \(channel)" }
            var text = kind + "\(event.node ?? "?")" + (event.name.map { " \"\($0)\"" } ?? "")
                + fields([("src", event.src?.hex), ("dst", event.dst?.hex)]) + placement(event, controls: false, after: via)
            if let holders = event.holders, !holders.isEmpty {
                text += "  held by " + processes(holders)
            } else if let creators = event.controlHolders, !creators.isEmpty {
                text += "  ctrl held by " + processes(creators)
            }
            if event.withVirtio == true { text += "  with its virtio device" }
            return text
        case .ttyAdded, .ttyRemoved:
            return kind + "\(event.node ?? "?")" + (event.name.map { " for \"\($0)\"" } ?? "") + fields([("dst", event.dst?.hex), ("driver", event.driver)])
                + placement(event) + (event.withVirtio == true ? "  with its virtio device" : "")
        case .virtioAdded:
            let back: SafeText = event.goneSeconds.map { "  back after \(BusWatch.seconds($0)) s" } ?? ""
            let what: SafeText = "\(event.virtio ?? "?")  core \(event.core ?? "?")"
            return SafeText((event.goneSeconds == nil ? "virtio added" : "virtio back").padding(to: 19)) + what + back
        case .virtioRemoved:
            let controls = event.controls ?? []
            return kind + "\(event.virtio ?? "?")  core \(event.core ?? "?")" + (controls.isEmpty ? "" : "  ctrl \(controls.joined(separator: ", ")) went with it")
        case .remoteprocAdded, .remoteprocRemoved, .remoteprocState:
            let change = event.previousState.map { "  \($0) -> \(event.state ?? "?")" } ?? event.state.map { "  state \($0)" } ?? ""
            let core: SafeText = "\(event.core ?? event.remoteProcessor ?? "?")"
            return kind + core + SafeText(change)
        case .announcementMissing:
            return kind + "\(event.virtio ?? "?")" + placement(event, virtio: false)
        case .eventsLost:
            return "events lost: the kernel dropped uevents (socket buffer full); the state is read again"
        case .stopped:
            let changes = event.changes ?? 0
            return "stopped (\(event.reason ?? "?")) after \(changes) change\(changes == 1 ? "" : "s")"
        }
    }

    /// "  on virtio1 (ctrl /dev/rpmsg_ctrl1)  core virtio-uml.1".
    private func placement(_ event: WatchEvent, controls: Bool = true, virtio: Bool = true, after: SafeText = "") -> SafeText {
        var text: SafeText = ""
        if virtio { text += "  on \(event.virtio ?? "no virtio device")" }
        if controls, let nodes = event.controls {
            text += nodes.isEmpty ? " (no ctrl)" : " (ctrl \(nodes.joined(separator: ", ")))"
        }
        text += after
        if let core = event.core { text += "  core \(core)" }
        return text
    }

    private func state(_ event: WatchEvent) -> SafeText {
        guard let core = event.core else { return "no rpmsg virtio device and no remoteproc" }
        let text: SafeText = "\(core)" + (event.state.map { "  state \($0)" } ?? "")
        let virtios = event.virtioDevices ?? []
        if virtios.isEmpty { return text + "  no virtio device" }
        let described: [SafeText] = virtios.map { virtio in
            var parts: [SafeText] = [virtio.controls.isEmpty ? "no ctrl" : "ctrl \(virtio.controls.joined(separator: ", "))"]
            parts += virtio.channels.map { "channel \"\($0.name)\"" + fields([("dst", $0.dst?.hex), ("driver", $0.driver)]) }
            parts += virtio.endpoints.map { endpoint in
                "endpoint \(endpoint.node)" + fields([("dst", endpoint.dst?.hex)]) + (endpoint.holders.isEmpty ? "" : " held by " + processes(endpoint.holders))
            }
            parts += virtio.ttys.map { "tty \($0.node)" }
            if virtio.channels.isEmpty { parts.append("no channel") }
            return "\(virtio.name): " + parts.joined(separator: ", ")
        }
        return text + "  " + described.joined(separator: "; ")
    }

    private func fields(_ pairs: [(String, String?)]) -> SafeText {
        var text: SafeText = ""
        for (name, value) in pairs { if let value { text += " \(name) \(value)" } }
        return text
    }

    private func processes(_ holders: [ProcessReference]) -> SafeText {
        holders.map { "\($0.pid) (\($0.command))" as SafeText }.joined(separator: ", ")
    }
}

extension WatchEvent.Kind {
    /// "endpoint created": the event's name for people.
    var words: String {
        switch self {
        case .started: "started"
        case .state: "state"
        case .channelAnnounced: "channel announced"
        case .channelDestroyed: "channel destroyed"
        case .controlAdded: "ctrl added"
        case .controlRemoved: "ctrl removed"
        case .endpointCreated: "endpoint created"
        case .endpointDestroyed: "endpoint destroyed"
        case .ttyAdded: "tty added"
        case .ttyRemoved: "tty removed"
        case .virtioAdded: "virtio added"
        case .virtioRemoved: "virtio gone"
        case .remoteprocAdded: "remoteproc added"
        case .remoteprocRemoved: "remoteproc removed"
        case .remoteprocState: "remoteproc state"
        case .announcementMissing: "no announcement"
        case .eventsLost: "events lost"
        case .stopped: "stopped"
        }
    }
}

private extension String {
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
