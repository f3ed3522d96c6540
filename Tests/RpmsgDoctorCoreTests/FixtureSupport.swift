@testable import RpmsgDoctorCore
import RpmsgFixtures
import Testing

/// Builds a board, scans it as `--root`, and removes it whatever happens.
func scan(_ build: () throws -> Board) throws -> Snapshot {
    try scan(build) { _ in }
}

/// Builds a board, lets `prepare` change it, scans it, and removes it whatever happens.
func scan(_ build: () throws -> Board, prepare: (Board) throws -> Void) throws -> Snapshot {
    let board = try build()
    defer { board.remove() }
    try prepare(board)
    return try Discovery.snapshot(root: board.root)
}

/// The raw bytes of a file of the fixture system, for checking the builder's formats.
func contents(_ path: String, in board: Board) throws -> String {
    let bytes = try RootedFileSystem(root: board.root).read(SysPath(path)).get()
    return DisplayText.decode(bytes)
}

extension Snapshot {
    func control(_ name: String) throws -> ControlDevice {
        try #require(controlDevices.first { $0.name == name }, "no control device \(name)")
    }

    func endpoint(_ name: String) throws -> EndpointDevice {
        try #require(endpointDevices.first { $0.name == name }, "no endpoint device \(name)")
    }

    func channel(_ deviceName: String) throws -> Channel {
        try #require(channels.first { $0.deviceName == deviceName }, "no rpmsg bus device \(deviceName)")
    }

    func virtio(_ name: String) throws -> VirtioDevice {
        try #require(virtioDevices.first { $0.name == name }, "no virtio device \(name)")
    }

    func tty(_ name: String) throws -> RpmsgTTY {
        try #require(ttys.first { $0.name == name }, "no tty \(name)")
    }

    func driver(_ name: String) throws -> BusDriver {
        try #require(drivers.first { $0.name == name }, "no driver \(name)")
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests that look at device nodes: mknod and chown need root.
    static var needsRoot: Self { .enabled(if: FixtureTree.canMakeDeviceNodes, "mknod and chown need root") }
}
