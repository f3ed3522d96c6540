#if canImport(Glibc)
import Glibc
#endif

/// An rpmsg tty (rpmsg_tty's ttyRPMSGn, NXP's imx_rpmsg_tty) opened for the probe: its settings are saved before it
/// is put in raw mode and written back on every way out (`close()` is called on every path, Ctrl-C included, and
/// again harmlessly from deinit). The kernel keeps a tty's settings from one open to the next, so a probe that left
/// raw mode behind would change what the next program on that tty sees.
final class TTYSession<Devices: ProbeDevices> {
    let devices: Devices
    let path: String
    private(set) var fd: Int32 = -1
    private var saved: TerminalSettings?
    private var cleanup: Cleanup?

    init(devices: Devices, path: String) {
        self.devices = devices
        self.path = path
    }

    deinit { close() }

    func open() throws(SystemCallError) {
        switch devices.open(path) {
        case .done(let descriptor): fd = Int32(descriptor)
        case .failed(let code): throw SystemCallError("open", path, code)
        }
    }

    /// Saves the settings, then sets raw mode and drops whatever was queued: the check reads the byte stream.
    func makeRaw() throws(SystemCallError) {
        let settings: TerminalSettings
        switch devices.terminalSettings(fd) {
        case .settings(let current): settings = current
        case .failed(let code): throw SystemCallError("tcgetattr", path, code)
        }
        saved = settings
        let code = devices.setTerminalSettings(fd, settings.raw)
        guard code == 0 else { throw SystemCallError("tcsetattr", path, code) }
        let flushed = devices.flushTerminal(fd)
        guard flushed == 0 else { throw SystemCallError("tcflush", path, flushed) }
    }

    enum Cleanup: Equatable {
        /// Never opened, or its settings could not even be read: nothing to restore.
        case nothingToRestore
        case restored
        case restoreFailed(SystemCallError)
    }

    /// Writes the saved settings back and closes the tty. Safe to call more than once: later calls return what the
    /// first one did.
    @discardableResult
    func close() -> Cleanup {
        if let cleanup { return cleanup }
        var result = Cleanup.nothingToRestore
        if fd >= 0, let saved {
            let code = devices.setTerminalSettings(fd, saved)
            result = code == 0 ? .restored : .restoreFailed(SystemCallError("tcsetattr", path, code))
        }
        if fd >= 0 {
            devices.close(fd)
            fd = -1
        }
        cleanup = result
        return result
    }
}
