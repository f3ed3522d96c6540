#if canImport(Glibc)
import Glibc
#endif

public struct WatchOptions: Sendable {
    /// Stop after this many changes.
    public var count: Int?
    /// Stop after this many seconds.
    public var timeoutSeconds: Double?
    /// How long a core back after a restart may take to announce its channels (RD410).
    public var graceSeconds: Double
    /// How often remoteproc states are read (they change without a uevent).
    public var pollSeconds: Double

    public init(count: Int? = nil, timeoutSeconds: Double? = nil, graceSeconds: Double = 3, pollSeconds: Double = 0.5) {
        self.count = count
        self.timeoutSeconds = timeoutSeconds
        self.graceSeconds = graceSeconds
        self.pollSeconds = pollSeconds
    }
}

/// `rpmsg-doctor watch`: the state of the bus, then one line per change until SIGINT, SIGTERM, --count or --timeout.
/// One poll on the uevent socket, SIGINT and SIGTERM (a signal descriptor) and a timer for what changes without a
/// uevent; no thread, no device opened.
public enum Watch {
    public enum StopReason: String, Sendable {
        case interrupt = "SIGINT"
        case terminate = "SIGTERM"
        case hangup = "SIGHUP"
        case count, timeout
    }

    /// Most events handled between two looks at the signals, so a flood of uevents never delays Ctrl-C.
    static var batch: Int { 256 }

    /// Watches the running system; sysfs and /proc are read below `fs`'s root. Every line goes to `emit` as it comes.
    public static func run(_ options: WatchOptions, fs: RootedFileSystem, emit: (WatchEvent) -> Void) throws(WatchFailure) -> StopReason {
        let signals = SignalWatch()
        // Listening starts before the system is read, so that nothing happening in between is missed.
        let monitor = try UdevMonitor(udevRunning: fs.exists(SysPath("/run/udev/control")))
        let reads = SystemWatchReads(fs: fs)
        let started = MonotonicClock.now()
        let end = options.timeoutSeconds.map { started + $0 }

        var first = WatchEvent(.started, at: .now())
        first.source = monitor.source
        first.generator = ToolVersion.description
        first.subsystems = UdevMonitor.subsystems
        emit(first)
        var bus = try baseline(fs: fs, reads: reads, options: options, emit: emit)

        var changes = 0
        func deliver(_ events: [WatchEvent]) -> Bool {
            for event in events {
                emit(event)
                if event.event.isChange { changes += 1 }
                if let count = options.count, changes >= count { return false }
            }
            return true
        }

        let reason: StopReason
        loop: while true {
            let now = MonotonicClock.now()
            if let end, now >= end {
                reason = .timeout
                break loop
            }
            let wake = [end, bus.nextDeadline].compactMap { $0 }.min()
            let milliseconds = wake.map { EndpointIO<SystemDevices, MonotonicClock>.milliseconds(from: now, until: $0) } ?? -1
            var fds = (pollfd(fd: monitor.fd, events: Int16(POLLIN), revents: 0), pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0))
            let ready = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, milliseconds) }
            if ready < 0 && errno != EINTR { throw WatchFailure("poll failed: \(String(cString: strerror(errno)))") }
            if fds.1.revents & Int16(POLLIN) != 0, let signal = signals.check() {
                reason = StopReason(rawValue: signal.rawValue) ?? .terminate
                break loop
            }
            if fds.0.revents & Int16(POLLIN) != 0 {
                for _ in 0..<batch {
                    switch monitor.receive() {
                    case .event(let uevent):
                        guard deliver(bus.apply(uevent, at: .now())) else {
                            reason = .count
                            break loop
                        }
                        continue
                    case .lost:
                        emit(WatchEvent(.eventsLost, at: .now()))
                        bus = try baseline(fs: fs, reads: reads, options: options, emit: emit)
                    case .none:
                        break
                    }
                    break
                }
            }
            guard deliver(bus.tick(at: .now())) else {
                reason = .count
                break loop
            }
        }
        var last = WatchEvent(.stopped, at: .now())
        last.reason = reason.rawValue
        last.changes = changes
        emit(last)
        return reason
    }

    /// Reads the whole system as scan does and prints it, one line per core.
    private static func baseline(fs: RootedFileSystem, reads: SystemWatchReads, options: WatchOptions,
                                 emit: (WatchEvent) -> Void) throws(WatchFailure) -> BusWatch {
        let snapshot: Snapshot
        do {
            snapshot = try Discovery.snapshot(root: fs.root)
        } catch {
            throw WatchFailure("cannot read \(fs.root): \(error)")
        }
        let bus = BusWatch(snapshot: snapshot, reads: reads, now: MonotonicClock.now(), graceSeconds: options.graceSeconds, pollSeconds: options.pollSeconds)
        for event in bus.baseline(at: .now()) { emit(event) }
        return bus
    }
}
