import Foundation
@testable import RpmsgDoctorCore

/// What watch reads from sysfs and /proc, as a test says it is.
final class RecordedReads: WatchReads {
    var attributes: [String: String] = [:]
    /// Paths that exist; everything else does not.
    var present: Set<String> = []
    /// Holders by node.
    var holders: [String: [ProcessReference]] = [:]
    private(set) var holderLookups = 0

    func attribute(_ path: String) -> String? { attributes[path] }
    func exists(_ path: String) -> Bool { present.contains(path) }
    func linkName(_ path: String) -> String? { nil }

    func holders(of nodes: Set<String>) -> [String: [ProcessReference]] {
        holderLookups += 1
        return holders.filter { nodes.contains($0.key) }
    }
}

/// Snapshots of the virtual board as scan reads it: virtio device N under virtio-uml.N, its ctrl rpmsg_ctrlN, the
/// name service, and the channels the scenario announces.
enum BoardSnapshots {
    static let root = UserCredentials(uid: 0, gid: 0, groups: [0], userName: "root", groupNames: ["0": "root"])

    static func virtioPath(_ index: Int) -> String { "/sys/devices/virtio-uml-cmdline/virtio-uml.\(index)/virtio\(index)" }

    static func channel(_ name: String, dst: UInt32, on virtio: Int, driver: String? = nil) -> Channel {
        let device = "virtio\(virtio).\(name).-1.\(dst)"
        return Channel(deviceName: device, name: name, src: .any, dst: RpmsgAddress(dst), driver: driver, virtio: "virtio\(virtio)",
                       sysfsPath: virtioPath(virtio) + "/" + device)
    }

    static func board(virtios: Int, channels: [Channel], ttys: [RpmsgTTY] = [], endpoints: [EndpointDevice] = []) -> Snapshot {
        let indices = Array(0..<virtios)
        let local = indices.flatMap { index in
            ["rpmsg_ctrl.0.0", "rpmsg_ns.53.53"].map { suffix in
                let device = "virtio\(index).\(suffix)"
                let address = RpmsgAddress(suffix.hasPrefix("rpmsg_ns") ? 53 : 0)
                return Channel(deviceName: device, name: String(suffix.prefix { $0 != "." }), src: address, dst: address,
                               driver: String(suffix.prefix { $0 != "." }), virtio: "virtio\(index)", sysfsPath: virtioPath(index) + "/" + device)
            }
        }
        return Snapshot(
            source: "test", user: root,
            virtioDevices: indices.map { index in
                VirtioDevice(name: "virtio\(index)", sysfsPath: virtioPath(index), deviceID: "0x0007", features: "1", driver: "virtio_rpmsg_bus",
                             transportParent: "virtio-uml.\(index)")
            },
            channels: local + channels,
            controlDevices: indices.map(control),
            endpointDevices: endpoints,
            ttys: ttys
        )
    }

    static func control(_ index: Int) -> ControlDevice {
        ControlDevice(name: "rpmsg_ctrl\(index)", sysfsPath: virtioPath(index) + "/virtio\(index).rpmsg_ctrl.0.0/rpmsg/rpmsg_ctrl\(index)",
                      devNumber: "253:\(index)", virtio: "virtio\(index)", hostChannel: "virtio\(index).rpmsg_ctrl.0.0",
                      node: DeviceNode(path: "/dev/rpmsg_ctrl\(index)", state: .present))
    }

    /// The canonical board: the demo channel on virtio1.
    static func canonical() -> Snapshot {
        board(virtios: 2, channels: [channel("rpmsg-openamp-demo-channel", dst: 30, on: 1)])
    }

    /// One remote core with the demo channel on virtio0 (the crash and single-device scenarios).
    static func single(_ name: String = "rpmsg-openamp-demo-channel", driver: String? = nil) -> Snapshot {
        board(virtios: 1, channels: [channel(name, dst: 30, on: 0, driver: driver)])
    }
}

/// Recorded uevents (Tests/RecordedUevents, made by Tests/VirtualBoard/record_uevents.py) replayed into watch.
enum Recordings {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RecordedUevents")

    static func uevents(_ name: String) throws -> [Uevent] {
        Uevent.parseRecording(try String(contentsOf: directory.appendingPathComponent("\(name).uevents"), encoding: .utf8))
    }

    static func time(_ seconds: Double) -> WatchTime {
        WatchTime(monotonic: seconds, utc: "2025-01-01T00:00:00.000Z")
    }

    /// Applies the uevents one every 10 ms from second 1, then lets `settle` seconds pass (for what depends on time).
    static func replay(_ uevents: [Uevent], into bus: BusWatch, settle: Double = 0) -> [WatchEvent] {
        var events: [WatchEvent] = []
        var now = 1.0
        for uevent in uevents {
            events += bus.apply(uevent, at: time(now))
            events += bus.tick(at: time(now))
            now += 0.01
        }
        if settle > 0 { events += bus.tick(at: time(now + settle)) }
        return events
    }

    static func replay(_ name: String, on snapshot: Snapshot, reads: RecordedReads = RecordedReads(), settle: Double = 0) throws -> [WatchEvent] {
        replay(try uevents(name), into: BusWatch(snapshot: snapshot, reads: reads, now: 0), settle: settle)
    }
}

extension Array where Element == WatchEvent {
    var kinds: [WatchEvent.Kind] { map(\.event) }
    var codes: [FindingCode] { flatMap { $0.findings.map(\.id) } }

    func first(_ kind: WatchEvent.Kind) -> WatchEvent? { first { $0.event == kind } }
}
