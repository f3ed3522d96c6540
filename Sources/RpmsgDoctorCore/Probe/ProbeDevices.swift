/// What the probe asks of the system, each the one system call (or sysfs read) it stands for: the rpmsg
/// devices' I/O, the listing of /sys/class/rpmsg and the /dev node of a new endpoint, and SIGINT and SIGTERM.
/// `SystemDevices` is the real one; tests put a scripted remote in its place.
protocol ProbeDevices {
    /// open(2) for reading and writing, without blocking and without handing the descriptor to children:
    /// the descriptor, or errno.
    func open(_ path: String) -> CallResult
    /// RPMSG_CREATE_EPT_IOCTL on a ctrl: the kernel makes a new /sys/class/rpmsg/rpmsgN below it. 0 or errno.
    func createEndpoint(control: Int32, name: String, src: RpmsgAddress, dst: RpmsgAddress) -> Int32
    /// RPMSG_DESTROY_EPT_IOCTL on an endpoint's descriptor. 0 or errno.
    func destroyEndpoint(_ endpoint: Int32) -> Int32
    func close(_ descriptor: Int32)
    /// write(2) without blocking: the count written, or errno.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> CallResult
    /// read(2) without blocking: the count read, or errno.
    func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> CallResult
    /// One poll(2) on the descriptor and on SIGINT and SIGTERM together, for at most `milliseconds`.
    func wait(for readiness: Readiness, on descriptor: Int32, milliseconds: Int32) -> WaitResult
    /// Waits `milliseconds` for SIGINT or SIGTERM and nothing else: the signal, if one came.
    func sleep(milliseconds: Int32) -> ProbeSignal?
    /// The first SIGINT or SIGTERM received since the probe started, if any.
    func receivedSignal() -> ProbeSignal?
    /// The names in /sys/class/rpmsg.
    func classDeviceNames() -> Set<String>
    /// Whether /dev/NAME is the node of class device NAME yet, and whether udev has handled it.
    func endpointNode(_ name: String) -> EndpointNodeState
    /// The address the kernel gave endpoint device NAME (its src attribute).
    func source(ofEndpoint name: String) -> RpmsgAddress?
    /// Whether a sysfs path still exists: the kernel removes a channel and its endpoints with their virtio device.
    func exists(_ sysfsPath: String) -> Bool
    /// Whether systemd-udevd runs: it applies the rules' group and mode a moment after devtmpfs made a node.
    var udevRunning: Bool { get }
    /// tcgetattr(3): a terminal's settings, or errno (ENOTTY for a device that is not a terminal).
    func terminalSettings(_ descriptor: Int32) -> TerminalQuery
    /// tcsetattr(3), at once (TCSANOW): 0 or errno.
    func setTerminalSettings(_ descriptor: Int32, _ settings: TerminalSettings) -> Int32
    /// tcflush(3) of input and output: bytes queued before the probe are not taken for answers. 0 or errno.
    func flushTerminal(_ descriptor: Int32) -> Int32
}

enum TerminalQuery: Equatable {
    case settings(TerminalSettings)
    case failed(Int32)
}

/// A system call's result: a count or descriptor, or errno.
enum CallResult: Equatable {
    case done(Int)
    case failed(Int32)
}

enum Readiness: Equatable {
    /// An answer can be read (or the endpoint hung up).
    case readable
    /// The TX ring has a free buffer (or the endpoint hung up).
    case writable
}

enum WaitResult: Equatable {
    /// The descriptor is ready, or in error: the next read or write says which.
    case ready
    /// Nothing within the time given (or poll was woken early): the caller looks at its clock.
    case timedOut
    case signal(ProbeSignal)
    case failed(Int32)
}

enum EndpointNodeState: Equatable {
    case absent
    /// A character device with the class device's numbers. `udevHandled` is nil when udevd does not run.
    case present(udevHandled: Bool?)
}

/// The signals that interrupt the probe; it destroys its endpoint and restores a tty's settings, then exits with
/// `exitStatus`. SIGHUP is one of them: a terminal (or ssh session) that goes away must not leave them behind either.
public enum ProbeSignal: String, Codable, Sendable, CaseIterable {
    case interrupt = "SIGINT"
    case terminate = "SIGTERM"
    case hangup = "SIGHUP"

    /// 128 + the signal's number, as shells report a process a signal ended.
    public var exitStatus: Int32 {
        switch self {
        case .interrupt: 130
        case .terminate: 143
        case .hangup: 129
        }
    }
}
