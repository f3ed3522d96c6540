import CRpmsg
#if canImport(Glibc)
import Glibc
#endif

/// An rpmsg endpoint opened for the probe. What it created (through a ctrl) it destroys, exactly once,
/// whatever happens: `close()` is called on every path, and again harmlessly from deinit.
final class EndpointSession {
    private(set) var controlFD: Int32 = -1
    private(set) var endpointFD: Int32 = -1
    private(set) var createdEndpoint = false
    private var cleanup: Cleanup?
    var endpointPath: String?
    /// The endpoint's class device, e.g. /sys/class/rpmsg/rpmsg3.
    var classDevicePath: String?

    deinit { close() }

    func openControl(_ path: String) throws(SystemCallError) {
        controlFD = try Self.open(path)
    }

    /// RPMSG_CREATE_EPT_IOCTL on the ctrl: the kernel makes a new /sys/class/rpmsg/rpmsgX below it.
    func createEndpoint(name: String, src: RpmsgAddress, dst: RpmsgAddress, controlPath: String) throws(SystemCallError) {
        var info = rpmsg_endpoint_info()
        withUnsafeMutableBytes(of: &info.name) { buffer in
            for (index, byte) in name.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        info.src = src.value
        info.dst = dst.value
        guard ioctl(controlFD, UInt(rpmsg_create_ept_ioctl), &info) == 0 else {
            throw SystemCallError("RPMSG_CREATE_EPT_IOCTL", controlPath)
        }
        createdEndpoint = true
    }

    func openEndpoint(_ path: String) throws(SystemCallError) {
        endpointPath = path
        endpointFD = try Self.open(path)
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
            if let classDevicePath, access(classDevicePath, F_OK) != 0 {
                // Destroying again what the kernel removed with its virtio device would free it twice (6.1 panics).
                result = .removedByKernel
            } else if endpointFD < 0 {
                result = .leftBehind
            } else if ioctl(endpointFD, UInt(rpmsg_destroy_ept_ioctl)) != 0 {
                result = .destroyFailed(SystemCallError("RPMSG_DESTROY_EPT_IOCTL", endpointPath ?? "endpoint"))
            } else {
                result = .destroyed
            }
        }
        if endpointFD >= 0 { Glibc.close(endpointFD); endpointFD = -1 }
        if controlFD >= 0 { Glibc.close(controlFD); controlFD = -1 }
        cleanup = result
        return result
    }

    /// Opens without blocking and without handing the descriptor to children.
    static func open(_ path: String) throws(SystemCallError) -> Int32 {
        let fd = Glibc.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", path) }
        return fd
    }
}
