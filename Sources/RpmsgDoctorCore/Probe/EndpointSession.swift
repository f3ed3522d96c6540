#if canImport(Glibc)
import Glibc
#endif

/// An rpmsg endpoint opened for the probe. What it created (through a ctrl) it destroys, exactly once,
/// whatever happens: `close()` is called on every path, and again harmlessly from deinit.
final class EndpointSession<Devices: ProbeDevices> {
    let devices: Devices
    private(set) var controlFD: Int32 = -1
    private(set) var endpointFD: Int32 = -1
    private(set) var createdEndpoint = false
    /// The endpoint answered EPIPE: rpmsg_char says so once the kernel has destroyed it (its virtio device is
    /// going), possibly before its class device is gone from sysfs. Destroying it again then panics 6.1.
    var destroyedByKernel = false
    private var cleanup: Cleanup?
    var endpointPath: String?
    /// The endpoint's class device, e.g. /sys/class/rpmsg/rpmsg3.
    var classDevicePath: String?

    init(devices: Devices) {
        self.devices = devices
    }

    deinit { close() }

    func openControl(_ path: String) throws(SystemCallError) {
        controlFD = try open(path)
    }

    /// RPMSG_CREATE_EPT_IOCTL on the ctrl: the kernel makes a new /sys/class/rpmsg/rpmsgX below it.
    func createEndpoint(name: String, src: RpmsgAddress, dst: RpmsgAddress, controlPath: String) throws(SystemCallError) {
        let code = devices.createEndpoint(control: controlFD, name: name, src: src, dst: dst)
        guard code == 0 else { throw SystemCallError("RPMSG_CREATE_EPT_IOCTL", controlPath, code) }
        createdEndpoint = true
    }

    func openEndpoint(_ path: String) throws(SystemCallError) {
        endpointPath = path
        endpointFD = try open(path)
    }

    enum Cleanup: Equatable {
        case nothingCreated
        case destroyed
        case destroyFailed(SystemCallError)
        /// The endpoint device exists but was never opened: the kernel destroys one only through an open descriptor.
        case leftBehind
        /// The kernel already removed it with its virtio device (the remote went away).
        case removedByKernel
    }

    /// Destroys the endpoint this session created and closes everything. Safe to call more than once:
    /// later calls return what the first one did.
    @discardableResult
    func close() -> Cleanup {
        if let cleanup { return cleanup }
        var result = Cleanup.nothingCreated
        if createdEndpoint {
            if destroyedByKernel || classDevicePath.map({ !devices.exists($0) }) == true {
                // Destroying again what the kernel removed with its virtio device would free it twice (6.1 panics).
                result = .removedByKernel
            } else if endpointFD < 0 {
                result = .leftBehind
            } else {
                let code = devices.destroyEndpoint(endpointFD)
                result = code == 0 ? .destroyed : .destroyFailed(SystemCallError("RPMSG_DESTROY_EPT_IOCTL", endpointPath ?? "endpoint", code))
            }
        }
        if endpointFD >= 0 { devices.close(endpointFD); endpointFD = -1 }
        if controlFD >= 0 { devices.close(controlFD); controlFD = -1 }
        cleanup = result
        return result
    }

    private func open(_ path: String) throws(SystemCallError) -> Int32 {
        switch devices.open(path) {
        case .done(let fd): return Int32(fd)
        case .failed(let code): throw SystemCallError("open", path, code)
        }
    }
}
