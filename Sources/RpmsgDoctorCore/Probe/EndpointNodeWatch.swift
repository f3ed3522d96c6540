/// Finds the endpoint device the kernel made for RPMSG_CREATE_EPT_IOCTL and waits for its /dev node.
struct EndpointNodeWatch {
    let fs: RootedFileSystem

    func classDeviceNames() -> Set<String> {
        guard case .success(let names) = fs.list(SysPath("/sys/class/rpmsg")) else { return [] }
        return Set(names.map { DisplayText.decode($0) })
    }

    /// The endpoint device that appeared since `before`.
    func newEndpoint(since before: Set<String>) -> String? {
        classDeviceNames().subtracting(before).filter { KernelNames.isNumbered($0, prefix: "rpmsg") }.sorted().first
    }

    struct ReadyNode {
        var path: String
        var milliseconds: Int
        /// Whether a running udevd had handled the device (its rules applied) by then.
        var handledByUdev: Bool?
    }

    /// Waits until /dev/NAME is a character device with the kernel's numbers and, when udevd runs, until udev
    /// has handled it: devtmpfs makes the node root-only, and udev applies the rules' group and mode a moment later.
    func waitForNode(_ name: String, timeoutMilliseconds: Int, signals: SignalWatch) -> ReadyNode? {
        let start = MonotonicClock.now()
        let deadline = start + Double(timeoutMilliseconds) / 1000
        let expected = (try? fs.attribute(SysPath("/sys/class/rpmsg/\(name)/dev")).get())
        let path = "/dev/\(name)"
        let udevRunning = fs.exists(SysPath("/run/udev/control"))
        let io = EndpointIO(fd: -1, signals: signals)
        while true {
            if case .success(let status) = fs.status(SysPath(path), followLinks: true), status.kind == .characterDevice,
               expected == nil || expected == "\(status.major):\(status.minor)" {
                let handled = udevRunning ? fs.exists(SysPath("/run/udev/data/c\(status.major):\(status.minor)")) : nil
                if handled != false || MonotonicClock.now() >= deadline {
                    return ReadyNode(path: path, milliseconds: Int((MonotonicClock.now() - start) * 1000), handledByUdev: handled)
                }
            }
            if MonotonicClock.now() >= deadline { return nil }
            guard io.pause(until: MonotonicClock.now() + 0.005) else { return nil }
        }
    }
}
