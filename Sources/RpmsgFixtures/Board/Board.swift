import RpmsgDoctorCore

/// A fixture system shaped like one kernel's sysfs, /proc, /dev and /etc, built device by device
/// in the order a kernel would make them. Numbers the kernel hands out from global counters
/// (virtioK, rpmsg_ctrlN, rpmsgX, minors) follow creation order unless a caller picks them.
public final class Board {
    public let tree: FixtureTree
    public let kernel: KernelStyle

    var virtioCount = 0
    var controlCount = 0
    var endpointCount = 0
    var remoteProcessorCount = 0
    var platformAutoID = 0
    var vdevCounts: [SysPath: Int] = [:]
    var regions: [CharacterRegion] = []
    var nextDynamicMajor: UInt32 = 245
    var kernelLogRecords: [String] = []
    var madeDevices: [[UInt8]: SysfsDevice] = [:]
    var users: [UserEntry] = [UserEntry(name: "root", uid: 0, gid: 0)]
    var groups: [GroupEntry] = [GroupEntry(name: "root", gid: 0), GroupEntry(name: "dialout", gid: 20)]

    /// The host directory to pass as `--root`.
    public var root: String { tree.root }

    public init(kernel: KernelStyle) throws {
        self.kernel = kernel
        tree = try FixtureTree()
        do {
            try writeSkeleton()
        } catch {
            tree.remove()
            throw error
        }
    }

    /// Builds a board with `steps`, removing it again if a step fails.
    public static func build(_ kernel: KernelStyle, _ steps: (Board) throws -> Void) throws -> Board {
        let board = try Board(kernel: kernel)
        do {
            try steps(board)
        } catch {
            board.remove()
            throw error
        }
        return board
    }

    /// Removes the whole fixture tree.
    public func remove() { tree.remove() }

    /// A device this board made, by its directory name ("virtio1", "rpmsg_ctrl0", "virtio1.app-channel.-1.40").
    public func device(named name: String) -> SysfsDevice? { madeDevices[Array(name.utf8)] }

    public func device(named name: [UInt8]) -> SysfsDevice? { madeDevices[name] }

    /// A device a recipe is known to have made.
    func existing(_ name: String) throws -> SysfsDevice {
        guard let device = device(named: name) else { throw FixtureError("no such device on this board", SysPath(name), code: 0) }
        return device
    }

    func made(_ path: SysPath, _ kind: SysfsDevice.Kind) -> SysfsDevice {
        let device = SysfsDevice(path: path, kind: kind)
        madeDevices[path.lastComponent] = device
        return device
    }

    private func writeSkeleton() throws {
        for directory in ["/sys/bus/rpmsg/devices", "/sys/bus/virtio/devices", "/sys/bus/platform/devices",
                          "/sys/class/rpmsg", "/sys/class/remoteproc", "/sys/class/tty", "/dev", "/proc"] {
            try tree.makeDirectory(SysPath(directory))
        }
        for bus in ["rpmsg", "virtio", "platform"] {
            try tree.writeAttribute(SysPath("/sys/bus/\(bus)/drivers_autoprobe"), "1")
            try tree.write(SysPath("/sys/bus/\(bus)/drivers_probe"), bytes: [])
            try tree.write(SysPath("/sys/bus/\(bus)/uevent"), bytes: [])
        }
        try tree.writeAttribute(SysPath("/proc/sys/kernel/osrelease"), kernel.release)
        try tree.write(SysPath("/dev/kmsg"), bytes: [])
        try writeAccounts()
        if kernel.splitsCharacterMajors {
            // rpmsg_ctrl needs rpmsg_char, which so registers first and takes the higher dynamic major.
            try addCharacterRegion("rpmsg_char")
            try addCharacterRegion("rpmsg_ctrl")
        } else {
            try addCharacterRegion("rpmsg")
        }
        try registerDriver("virtio_rpmsg_bus", bus: "virtio")
        for driver in kernel.busDrivers { try registerDriver(driver) }
    }
}
