import CRpmsg
#if canImport(Glibc)
import Glibc
#endif

/// The probe's devices on the running system: Glibc's system calls on the real rpmsg nodes, sysfs and /dev
/// read through `fs`, and SIGINT and SIGTERM through a signal descriptor (blocked while this lives).
struct SystemDevices: ProbeDevices {
    let fs: RootedFileSystem
    let signals = SignalWatch()
    let udevRunning: Bool

    init(fs: RootedFileSystem) {
        self.fs = fs
        udevRunning = fs.exists(SysPath("/run/udev/control"))
    }

    func open(_ path: String) -> CallResult {
        // O_NOCTTY: an rpmsg tty must never become the probe's controlling terminal.
        let fd = Glibc.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        return fd >= 0 ? .done(Int(fd)) : .failed(errno)
    }

    func createEndpoint(control: Int32, name: String, src: RpmsgAddress, dst: RpmsgAddress) -> Int32 {
        var info = rpmsg_endpoint_info()
        withUnsafeMutableBytes(of: &info.name) { buffer in
            for (index, byte) in name.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        info.src = src.value
        info.dst = dst.value
        return ioctl(control, UInt(rpmsg_create_ept_ioctl), &info) == 0 ? 0 : errno
    }

    func destroyEndpoint(_ endpoint: Int32) -> Int32 {
        ioctl(endpoint, UInt(rpmsg_destroy_ept_ioctl)) == 0 ? 0 : errno
    }

    func close(_ descriptor: Int32) {
        Glibc.close(descriptor)
    }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> CallResult {
        let count = Glibc.write(descriptor, bytes.baseAddress, bytes.count)
        return count >= 0 ? .done(count) : .failed(errno)
    }

    func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> CallResult {
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        return count >= 0 ? .done(count) : .failed(errno)
    }

    /// The signal descriptor is read only when poll says a signal is pending.
    func wait(for readiness: Readiness, on descriptor: Int32, milliseconds: Int32) -> WaitResult {
        let events = Int16(readiness == .readable ? POLLIN : POLLOUT)
        var fds = (pollfd(fd: descriptor, events: events, revents: 0), pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0))
        let ready = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, milliseconds) }
        if ready < 0 {
            let code = errno
            return code == EINTR ? .timedOut : .failed(code)
        }
        if fds.1.revents & Int16(POLLIN) != 0, let signal = signals.check() { return .signal(signal) }
        if fds.0.revents & (events | Int16(POLLERR) | Int16(POLLHUP)) != 0 { return .ready }
        return .timedOut
    }

    func sleep(milliseconds: Int32) -> ProbeSignal? {
        var fd = pollfd(fd: signals.fd, events: Int16(POLLIN), revents: 0)
        guard poll(&fd, 1, milliseconds) > 0, fd.revents & Int16(POLLIN) != 0 else { return signals.received }
        return signals.check()
    }

    func receivedSignal() -> ProbeSignal? {
        signals.check()
    }

    func classDeviceNames() -> Set<String> {
        guard case .success(let names) = fs.list(SysPath("/sys/class/rpmsg")) else { return [] }
        return Set(names.map { DisplayText.decode($0) })
    }

    /// devtmpfs makes the node root-only; when udevd runs, it applies the rules' group and mode a moment later and
    /// then records the device in /run/udev/data.
    func endpointNode(_ name: String) -> EndpointNodeState {
        let expected = try? fs.attribute(SysPath("/sys/class/rpmsg/\(name)/dev")).get()
        guard case .success(let status) = fs.status(SysPath("/dev/\(name)"), followLinks: true), status.kind == .characterDevice,
              expected == nil || expected == "\(status.major):\(status.minor)" else { return .absent }
        return .present(udevHandled: udevRunning ? fs.exists(SysPath("/run/udev/data/c\(status.major):\(status.minor)")) : nil)
    }

    func source(ofEndpoint name: String) -> RpmsgAddress? {
        (try? fs.attribute(SysPath("/sys/class/rpmsg/\(name)/src")).get()).flatMap(RpmsgAddress.init(parsing:))
    }

    func exists(_ sysfsPath: String) -> Bool {
        fs.exists(SysPath(sysfsPath))
    }

    func terminalSettings(_ descriptor: Int32) -> TerminalQuery {
        var settings = termios()
        return tcgetattr(descriptor, &settings) == 0 ? .settings(TerminalSettings(settings)) : .failed(errno)
    }

    func setTerminalSettings(_ descriptor: Int32, _ settings: TerminalSettings) -> Int32 {
        var value = settings.value
        while tcsetattr(descriptor, TCSANOW, &value) != 0 {
            if errno != EINTR { return errno }
        }
        return 0
    }

    func flushTerminal(_ descriptor: Int32) -> Int32 {
        tcflush(descriptor, TCIOFLUSH) == 0 ? 0 : errno
    }
}
