import RpmsgDoctorCore

extension Board {
    /// Appends a record to /dev/kmsg in its own format, `PRIORITY,SEQUENCE,MICROSECONDS,-;MESSAGE`
    /// (priority 6 is KERN_INFO, 3 KERN_ERR); records are 0.1 s apart.
    public func log(_ message: String, priority: Int = 6) throws {
        kernelLogRecords.append("\(priority),\(kernelLogRecords.count),\(100_000 * (kernelLogRecords.count + 1)),-;\(message)\n")
        try tree.write(SysPath("/dev/kmsg"), kernelLogRecords.joined())
    }

    /// /proc/modules lines for these modules, in the kernel's format.
    public func setLoadedModules(_ names: [String]) throws {
        try tree.write(SysPath("/proc/modules"), names.map { "\($0) 20480 0 - Live 0x0000000000000000\n" }.joined())
    }

    public func addUdevRulesFile(_ fileName: String, _ text: String) throws {
        try tree.write(SysPath("/etc/udev/rules.d/" + fileName), text)
    }

    /// The control socket udevd leaves in /run/udev (here a plain file: only its presence is read).
    public func markUdevRunning() throws {
        try tree.write(SysPath("/run/udev/control"), bytes: [])
    }

    public func markDockerContainer() throws {
        try tree.write(SysPath("/.dockerenv"), bytes: [])
    }
}
