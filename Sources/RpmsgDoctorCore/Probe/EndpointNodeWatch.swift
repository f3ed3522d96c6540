/// Finds the endpoint device the kernel made for RPMSG_CREATE_EPT_IOCTL and waits for its /dev node.
struct EndpointNodeWatch {
    let fs: RootedFileSystem

    func classDeviceNames() -> Set<String> {
        guard case .success(let names) = fs.list(SysPath("/sys/class/rpmsg")) else { return [] }
        return Set(names.map { DisplayText.decode($0) })
    }

    /// The endpoint device that appeared since `before`.
    func newEndpoint(since before: Set<String>) -> String? {
        classDeviceNames().subtracting(before).filter { SysfsAncestry.isNumbered($0, prefix: "rpmsg") }.sorted().first
    }

    /// Waits until /dev/NAME is a character device with the kernel's numbers (devtmpfs or udev may lag).
    func waitForNode(_ name: String, timeoutMilliseconds: Int, signals: SignalWatch) -> (path: String, milliseconds: Int)? {
        let start = MonotonicClock.now()
        let expected = (try? fs.attribute(SysPath("/sys/class/rpmsg/\(name)/dev")).get())
        let path = "/dev/\(name)"
        let io = EndpointIO(fd: -1, signals: signals)
        while true {
            if case .success(let status) = fs.status(SysPath(path), followLinks: true), status.kind == .characterDevice,
               expected == nil || expected == "\(status.major):\(status.minor)" {
                return (path, Int((MonotonicClock.now() - start) * 1000))
            }
            let elapsed = (MonotonicClock.now() - start) * 1000
            if elapsed >= Double(timeoutMilliseconds) { return nil }
            guard io.pause(until: MonotonicClock.now() + 0.005) else { return nil }
        }
    }
}
