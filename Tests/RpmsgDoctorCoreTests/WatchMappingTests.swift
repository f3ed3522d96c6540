import Testing
@testable import RpmsgDoctorCore

/// What watch makes of the uevents the virtual board's kernel sent (recorded with udevadm monitor): each change tied to
/// its virtio device, remote core and control device, and the findings a change matches.
@Suite struct WatchMappingTests {
    private let endpointPath = BoardSnapshots.virtioPath(1) + "/virtio1.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl1/rpmsg0"
    private let probe = ProcessReference(pid: 231, command: "rpmsg-doctor")

    /// The attributes of the endpoint the probe makes through rpmsg_ctrl1 (dst 30).
    private func endpointReads(holder: ProcessReference? = nil) -> RecordedReads {
        let reads = RecordedReads()
        reads.attributes = [endpointPath + "/name": "rpmsg-openamp-demo-channel", endpointPath + "/src": "1024", endpointPath + "/dst": "30"]
        reads.present = ["/sys/bus/virtio/devices/virtio0", "/sys/bus/virtio/devices/virtio1", endpointPath]
        if let holder { reads.holders = ["/dev/rpmsg_ctrl1": [holder]] }
        return reads
    }

    @Test func recordingsParseIntoUevents() throws {
        let uevents = try Recordings.uevents("probe-endpoint")
        #expect(uevents.map(\.action) == [.add, .remove])
        #expect(uevents[0].subsystem == "rpmsg" && uevents[0].deviceName == "rpmsg0" && uevents[0].node == "/dev/rpmsg0")
        #expect(uevents[0].sysfsPath == endpointPath)
        #expect(uevents[0].seqnum != nil)
    }

    @Test func baselineHasOneLinePerCore() throws {
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: RecordedReads(), now: 0)
        let lines = bus.baseline(at: Recordings.time(1))
        #expect(lines.map(\.core) == ["virtio-uml.0", "virtio-uml.1"])
        #expect(lines.allSatisfy { $0.event == .state })
        let virtio1 = try #require(lines[1].virtioDevices?.first)
        #expect(virtio1.name == "virtio1" && virtio1.controls == ["/dev/rpmsg_ctrl1"])
        #expect(virtio1.channels.map(\.name) == ["rpmsg-openamp-demo-channel"] && virtio1.channels[0].dst == RpmsgAddress(30))
        #expect(lines[0].virtioDevices?.first?.channels == [], "the name service and the ctrl's own device are not channels")
        let text = WatchText(style: Style(enabled: false)).lines(lines[1]).document
        #expect(text.hasSuffix("state              virtio-uml.1  virtio1: ctrl /dev/rpmsg_ctrl1, channel \"rpmsg-openamp-demo-channel\" dst 0x1e\n"), "\(text)")
    }

    @Test func aSystemWithoutRpmsgSaysSo() {
        let lines = BusWatch(snapshot: BoardSnapshots.board(virtios: 0, channels: []), reads: RecordedReads(), now: 0).baseline(at: Recordings.time(1))
        #expect(lines.count == 1 && lines[0].core == nil && lines[0].virtioDevices == [])
        #expect(WatchText(style: Style(enabled: false)).lines(lines[0]).document.contains("no rpmsg virtio device and no remoteproc"))
    }

    // MARK: Recorded changes

    @Test func theEndpointAProbeCreatesAndDestroys() throws {
        let events = try Recordings.replay("probe-endpoint", on: BoardSnapshots.canonical(), reads: endpointReads(holder: probe))
        #expect(events.kinds == [.endpointCreated, .endpointDestroyed])
        let created = events[0]
        #expect((created.virtio, created.core, created.control, created.controls) == ("virtio1", "virtio-uml.1", "/dev/rpmsg_ctrl1", ["/dev/rpmsg_ctrl1"]))
        #expect((created.node, created.name, created.src, created.dst) == ("/dev/rpmsg0", "rpmsg-openamp-demo-channel", RpmsgAddress(1024), RpmsgAddress(30)))
        #expect(created.holders == [] && created.controlHolders == [probe], "nobody opened it yet; its creator holds the ctrl")
        #expect(events[1].node == "/dev/rpmsg0" && events[1].dst == RpmsgAddress(30) && events[1].withVirtio == nil, "what it was, from the first event")
        #expect(events.codes.isEmpty)
        let line = WatchText(style: Style(enabled: false)).lines(created).document
        #expect(line.contains("endpoint created   /dev/rpmsg0 \"rpmsg-openamp-demo-channel\" src 0x400 dst 0x1e  on virtio1 via /dev/rpmsg_ctrl1  core virtio-uml.1  ctrl held by 231 (rpmsg-doctor)"), "\(line)")
    }

    @Test func aControlDeviceUnboundAndBoundAgain() throws {
        let events = try Recordings.replay("ctrl-rebound", on: BoardSnapshots.canonical(), reads: endpointReads())
        #expect(events.kinds == [.controlRemoved, .controlAdded])
        #expect(events.map(\.node) == ["/dev/rpmsg_ctrl0", "/dev/rpmsg_ctrl0"])
        #expect(events.map(\.virtio) == ["virtio0", "virtio0"] && events.map(\.core) == ["virtio-uml.0", "virtio-uml.0"])
        #expect(events[0].controls == [] && events[1].controls == ["/dev/rpmsg_ctrl0"], "no ctrl reaches virtio0 in between")
        #expect(events[0].withVirtio == nil, "virtio0 stays")
    }

    /// The remote destroys its channel while the probe's endpoint (dst 30) is open, and announces it again at 31.
    @Test func aChannelThatMovesWhileAnEndpointSendsToIt() throws {
        let snapshot = BoardSnapshots.board(virtios: 2, channels: [BoardSnapshots.channel("rpmsg-openamp-demo-channel", dst: 30, on: 1)])
        let events = try Recordings.replay("channel-moved", on: snapshot, reads: endpointReads(holder: probe))
        #expect(events.kinds == [.endpointCreated, .channelDestroyed, .channelAnnounced, .endpointDestroyed])
        let destroyed = events[1]
        #expect((destroyed.name, destroyed.dst, destroyed.virtio, destroyed.controls) == ("rpmsg-openamp-demo-channel", RpmsgAddress(30), "virtio1", ["/dev/rpmsg_ctrl1"]))
        #expect(destroyed.findings.map(\.id) == [.endpointToDepartedAddress])
        let left = try #require(destroyed.findings.first)
        #expect(left.summary == "/dev/rpmsg0 still sends to 0x1e, which \"rpmsg-openamp-demo-channel\" left: the remote drops what is written there")
        #expect(left.evidence.contains { $0.hasPrefix("/dev/rpmsg0: name \"rpmsg-openamp-demo-channel\" src 0x400 dst 0x1e via rpmsg_ctrl1") })
        let announced = events[2]
        #expect((announced.dst, announced.previousDst) == (RpmsgAddress(31), RpmsgAddress(30)))
        #expect(announced.name == "rpmsg-openamp-demo-channel", "from MODALIAS and the device name: sysfs was not read here")
        #expect(announced.findings.map(\.id) == [.channelMoved])
        #expect(announced.findings[0].evidence.contains("/dev/rpmsg0 still sends to 0x1e"))
        #expect(announced.findings[0].commands == ["rpmsg-doctor scan --service rpmsg-openamp-demo-channel"])
    }

    @Test func aChannelBackOnTheSameAddressIsNoFinding() throws {
        let moved = try Recordings.uevents("channel-moved")
        let same = moved.map { uevent in
            var copy = uevent
            copy.devpath = copy.devpath.replacingOccurrences(of: ".-1.31", with: ".-1.30")
            return copy
        }
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: endpointReads(), now: 0)
        let events = Recordings.replay(same, into: bus)
        #expect(events.first(.channelAnnounced)?.previousDst == RpmsgAddress(30))
        #expect(events.first(.channelAnnounced)?.findings == [])
        #expect(WatchText(style: Style(enabled: false)).lines(events.first(.channelAnnounced)!).document.contains("back, before at 0x1e"))
    }

    /// The remote crashes: the kernel removes the virtio device's bus link first, then its children, then it.
    @Test func aCrashTakesEverythingWithTheVirtioDevice() throws {
        let reads = RecordedReads()
        let path = BoardSnapshots.virtioPath(0) + "/virtio0.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl0/rpmsg0"
        reads.attributes = [path + "/name": "rpmsg-openamp-demo-channel", path + "/src": "1024", path + "/dst": "30"]
        let events = try Recordings.replay("crash", on: BoardSnapshots.single(), reads: reads)
        #expect(events.kinds == [.endpointCreated, .endpointDestroyed, .controlRemoved, .channelDestroyed, .virtioRemoved])
        #expect(events.dropFirst().dropLast().allSatisfy { $0.withVirtio == true }, "\(events.map(\.withVirtio))")
        let gone = events[4]
        #expect((gone.virtio, gone.core, gone.controls) == ("virtio0", "virtio-uml.0", ["/dev/rpmsg_ctrl0"]))
        #expect(gone.findings.map(\.id) == [.remoteGone])
        #expect(gone.findings[0].summary == "The remote on virtio-uml.0 went away: virtio0 is gone with \"rpmsg-openamp-demo-channel\" (dst 0x1e); it crashed, was stopped or restarts")
        #expect(!events[3].findings.contains { $0.id == .endpointToDepartedAddress }, "the endpoint went with the remote")
        #expect(WatchText(style: Style(enabled: false)).lines(gone).document.contains("virtio gone        virtio0  core virtio-uml.0  ctrl /dev/rpmsg_ctrl0 went with it"))
    }

    @Test func aVirtioDeviceBackThatAnnouncesAgain() throws {
        let reads = RecordedReads()
        let events = try Recordings.replay("virtio-back", on: BoardSnapshots.canonical(), reads: reads, settle: 10)
        #expect(events.kinds == [.controlRemoved, .channelDestroyed, .virtioRemoved, .virtioAdded, .controlAdded, .channelAnnounced])
        #expect(events.codes == [.remoteGone], "gone with its channel, back with it: no RD410")
        let back = try #require(events.first(.virtioAdded))
        #expect(back.core == "virtio-uml.1" && back.goneSeconds != nil)
        #expect(events.first(.channelAnnounced)?.previousDst == RpmsgAddress(30))
    }

    @Test func aVirtioDeviceBackThatAnnouncesNothing() throws {
        let events = try Recordings.replay("virtio-back-silent", on: BoardSnapshots.canonical(), settle: 10)
        #expect(events.kinds == [.controlRemoved, .channelDestroyed, .virtioRemoved, .virtioAdded, .controlAdded, .announcementMissing])
        let missing = try #require(events.first(.announcementMissing))
        #expect(missing.virtio == "virtio1" && missing.core == "virtio-uml.1" && missing.controls == ["/dev/rpmsg_ctrl1"])
        #expect(missing.findings.map(\.id) == [.backWithoutAnnouncing])
        #expect(missing.findings[0].summary.hasSuffix("announced nothing within 3.0 s; before it announced \"rpmsg-openamp-demo-channel\" (dst 0x1e)"))
    }

    @Test func theRemoteHasThreeSecondsToAnnounce() throws {
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: RecordedReads(), now: 0)
        let events = Recordings.replay(try Recordings.uevents("virtio-back-silent"), into: bus)
        #expect(!events.kinds.contains(.announcementMissing))
        let due = try #require(bus.nextDeadline)
        #expect(bus.tick(at: Recordings.time(due - 0.01)).isEmpty)
        #expect(bus.tick(at: Recordings.time(due)).kinds == [.announcementMissing])
        #expect(bus.nextDeadline == nil, "nothing left to wait for")
    }

    @Test func anRpmsgTTYGoesAndComesBackWithItsVirtioDevice() throws {
        let channel = BoardSnapshots.channel("rpmsg-tty", dst: 30, on: 0, driver: "rpmsg_tty")
        let tty = RpmsgTTY(name: "ttyRPMSG0", sysfsPath: channel.sysfsPath + "/tty/ttyRPMSG0", hostChannel: channel.deviceName, virtio: "virtio0",
                           node: DeviceNode(path: "/dev/ttyRPMSG0", state: .present))
        let snapshot = BoardSnapshots.board(virtios: 1, channels: [channel], ttys: [tty])
        let events = try Recordings.replay("tty-back", on: snapshot, settle: 10)
        #expect(events.kinds == [.controlRemoved, .ttyRemoved, .channelDestroyed, .virtioRemoved, .virtioAdded, .controlAdded, .channelAnnounced, .ttyAdded])
        let removed = try #require(events.first(.ttyRemoved))
        #expect((removed.node, removed.channel, removed.virtio, removed.name, removed.withVirtio) == ("/dev/ttyRPMSG0", "virtio0.rpmsg-tty.-1.30", "virtio0", "rpmsg-tty", true))
        let added = try #require(events.first(.ttyAdded))
        #expect((added.node, added.channel, added.virtio, added.core, added.controls) == ("/dev/ttyRPMSG0", "virtio0.rpmsg-tty.-1.30", "virtio0", "virtio-uml.0", ["/dev/rpmsg_ctrl0"]))
        #expect(events.codes == [.remoteGone])
    }

    // MARK: Remote processors

    private let remoteprocPath = "/sys/devices/platform/imx8mp-cm7/remoteproc/remoteproc0"

    private func remoteprocBoard(state: String) -> Snapshot {
        var snapshot = BoardSnapshots.board(virtios: 0, channels: [])
        snapshot.remoteProcessors = [RemoteProcessor(name: "remoteproc0", sysfsPath: remoteprocPath, processorName: "imx-rproc", state: state)]
        return snapshot
    }

    @Test func remoteprocStatesAreReadAtABoundedRate() {
        let reads = RecordedReads()
        reads.attributes[remoteprocPath + "/state"] = "offline"
        let bus = BusWatch(snapshot: remoteprocBoard(state: "running"), reads: reads, now: 0, pollSeconds: 0.5)
        #expect(bus.baseline(at: Recordings.time(0)).map(\.core) == ["remoteproc0 (imx8mp-cm7)"])
        #expect(bus.tick(at: Recordings.time(0.4)).isEmpty, "not before its time")
        let stopped = bus.tick(at: Recordings.time(0.5))
        #expect(stopped.kinds == [.remoteprocState] && stopped[0].previousState == "running" && stopped[0].state == "offline")
        #expect(stopped[0].findings.isEmpty, "a stop is not a crash")
        #expect(bus.tick(at: Recordings.time(1.2)).isEmpty, "no change, no line")
        reads.attributes[remoteprocPath + "/state"] = "crashed"
        reads.attributes[remoteprocPath + "/recovery"] = "disabled"
        let crashed = bus.tick(at: Recordings.time(1.7))
        #expect(crashed.codes == [.remoteNotRunning] && crashed[0].findings[0].severity == .error)
        #expect(crashed[0].findings[0].commands == ["echo recover | sudo tee /sys/class/remoteproc/remoteproc0/recovery"])
        #expect(WatchText(style: Style(enabled: false)).lines(crashed[0]).document.contains("remoteproc state   remoteproc0 (imx8mp-cm7)  offline -> crashed"))
    }

    @Test func virtioDevicesOfARemoteprocBelongToItsCore() throws {
        var snapshot = remoteprocBoard(state: "running")
        let virtio = remoteprocPath + "/rproc-virtio.0.auto/virtio0"
        snapshot.virtioDevices = [VirtioDevice(name: "virtio0", sysfsPath: virtio, remoteProcessor: "remoteproc0", transportParent: "rproc-virtio.0.auto")]
        let bus = BusWatch(snapshot: snapshot, reads: RecordedReads(), now: 0)
        let added = bus.apply(Uevent(action: .add, devpath: String(virtio.dropFirst(4)) + "/virtio0.rpmsg-tty.-1.1024", subsystem: "rpmsg",
                                     properties: ["MODALIAS": "rpmsg:rpmsg-tty"]), at: Recordings.time(1))
        #expect(added.map(\.core) == ["remoteproc0 (imx8mp-cm7)"] && added.map(\.remoteProcessor) == ["remoteproc0"])
        #expect(added.map(\.dst) == [RpmsgAddress(1024)])
    }

    // MARK: What watch leaves alone

    @Test func otherDevicesAreNotChanges() {
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: RecordedReads(), now: 0)
        let others = [
            Uevent(action: .add, devpath: "/devices/virtual/tty/ttyS0", subsystem: "tty"),
            Uevent(action: .add, devpath: "/devices/pci0000:00/virtio3", subsystem: "virtio", properties: ["MODALIAS": "virtio:d00000001v00001AF4"]),
            Uevent(action: .add, devpath: "/devices/virtual/net/lo", subsystem: "net"),
            // Already in the baseline: the monitor starts before the system is read.
            Uevent(action: .add, devpath: String(BoardSnapshots.control(1).sysfsPath.dropFirst(4)), subsystem: "rpmsg", properties: ["DEVNAME": "rpmsg_ctrl1"]),
            Uevent(action: .add, devpath: String(BoardSnapshots.virtioPath(1).dropFirst(4)) + "/virtio1.rpmsg_ns.53.53", subsystem: "rpmsg"),
        ]
        #expect(others.flatMap { bus.apply($0, at: Recordings.time(1)) }.isEmpty)
    }

    @Test func namesFromFirmwareCannotDriveTheTerminal() throws {
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: RecordedReads(), now: 0)
        let hostile = "\u{1b}[2J\nerror[RD101] forged"
        let events = bus.apply(Uevent(action: .add, devpath: "/devices/virtio-uml-cmdline/virtio-uml.1/virtio1/virtio1.x.-1.40", subsystem: "rpmsg",
                                      properties: ["MODALIAS": "rpmsg:" + hostile]), at: Recordings.time(1))
        let text = WatchText(style: Style(enabled: false)).lines(try #require(events.first)).document
        #expect(!text.contains("\u{1b}") && text.components(separatedBy: "\n").count == 2, "\(text)")
        #expect(text.contains("\"\\x1b[2J\\nerror[RD101] forged\""))
    }

    /// Hours of events: the same few devices coming and going, and channels with ever new names. What watch holds
    /// stays the devices present and its bounded memories.
    @Test func memoryStaysFlatOverManyEvents() {
        let reads = endpointReads()
        let bus = BusWatch(snapshot: BoardSnapshots.canonical(), reads: reads, now: 0)
        let virtio1 = String(BoardSnapshots.virtioPath(1).dropFirst(4))
        var time = 1.0
        var footprints: [Int] = []
        for round in 0..<20_000 {
            let endpoint = virtio1 + "/virtio1.rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl1/rpmsg\(round % 4)"
            let channel = virtio1 + "/virtio1.channel-\(round).-1.\(100 + round % 50)"
            for uevent in [Uevent(action: .add, devpath: endpoint, subsystem: "rpmsg", properties: ["DEVNAME": "rpmsg\(round % 4)"]),
                           Uevent(action: .add, devpath: channel, subsystem: "rpmsg"),
                           Uevent(action: .remove, devpath: channel, subsystem: "rpmsg"),
                           Uevent(action: .remove, devpath: endpoint, subsystem: "rpmsg", properties: ["DEVNAME": "rpmsg\(round % 4)"])] {
                _ = bus.apply(uevent, at: Recordings.time(time))
                time += 0.001
            }
            if round % 1000 == 999 { footprints.append(bus.footprint) }
        }
        #expect(footprints.last == footprints[footprints.count / 2], "\(footprints)")
        #expect(bus.footprint <= BoardSnapshots.canonical().channels.count + 4 + BusWatch.memoryCapacity + 8)
    }
}
