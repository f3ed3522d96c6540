/// Finds the endpoint device the kernel made for RPMSG_CREATE_EPT_IOCTL and waits for its /dev node.
struct EndpointNodeWatch<Devices: ProbeDevices, Clock: ProbeClock> {
    let devices: Devices
    let clock: Clock

    /// How often the node is looked for while it is not there yet.
    static var pollMilliseconds: Double { 5 }

    func classDeviceNames() -> Set<String> {
        devices.classDeviceNames()
    }

    /// The endpoint device that appeared since `before`.
    func newEndpoint(since before: Set<String>) -> String? {
        classDeviceNames().subtracting(before).filter { KernelNames.isNumbered($0, prefix: "rpmsg") }.sorted().first
    }

    struct ReadyNode: Equatable {
        var path: String
        var milliseconds: Int
        /// Whether a running udevd had handled the device (its rules applied) by then.
        var handledByUdev: Bool?
    }

    enum Wait: Equatable {
        case ready(ReadyNode)
        case missing
        case interrupted(ProbeSignal)
    }

    /// Waits until /dev/NAME is a character device with the kernel's numbers and, when udevd runs, until udev
    /// has handled it: devtmpfs makes the node root-only, and udev applies the rules' group and mode a moment later.
    func waitForNode(_ name: String, timeoutMilliseconds: Int) -> Wait {
        let start = clock.now()
        let deadline = start + Double(timeoutMilliseconds) / 1000
        let io = EndpointIO(fd: -1, devices: devices, clock: clock)
        while true {
            if case .present(let handled) = devices.endpointNode(name) {
                let now = clock.now()
                if handled != false || now >= deadline {
                    return .ready(ReadyNode(path: "/dev/\(name)", milliseconds: Int(((now - start) * 1000).rounded()), handledByUdev: handled))
                }
            }
            let now = clock.now()
            if now >= deadline { return .missing }
            if let signal = io.pause(until: now + Self.pollMilliseconds / 1000) { return .interrupted(signal) }
        }
    }
}
