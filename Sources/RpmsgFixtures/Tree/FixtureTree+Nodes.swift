import RpmsgDoctorCore
#if canImport(Glibc)
import Glibc
#endif

extension FixtureTree {
    /// mknod and chown need root; without it, character nodes are skipped (they read as missing)
    /// and other files keep the caller's ownership.
    public static var canMakeDeviceNodes: Bool { geteuid() == 0 }

    /// Puts the node `spec` asks for at `path`; `number` is the one sysfs announces for the device.
    public func makeNode(_ path: SysPath, spec: NodeSpec, number: DeviceNumber) throws {
        switch spec.kind {
        case .absent:
            return
        case .regularFile:
            try write(path, bytes: [])
        case .characterDevice:
            guard Self.canMakeDeviceNodes else { return }
            try makeDirectory(path.parent)
            let device = Self.deviceID(spec.staleNumber ?? number)
            guard hostPath(path).withCString({ mknod($0, S_IFCHR | mode_t(spec.mode), device) }) == 0 else {
                throw FixtureError("mknod", path)
            }
        }
        try setMode(path, spec.mode)
        if Self.canMakeDeviceNodes {
            guard hostPath(path).withCString({ chown($0, spec.uid, spec.gid) }) == 0 else { throw FixtureError("chown", path) }
        }
    }

    /// glibc's makedev(), a macro Swift does not import: 12 bits of major and 8 of minor low, the rest high.
    static func deviceID(_ number: DeviceNumber) -> dev_t {
        let major = UInt64(number.major)
        let minor = UInt64(number.minor)
        return dev_t((major & 0xFFF) << 8 | (major & 0xFFFF_F000) << 32 | (minor & 0xFF) | (minor & 0xFFFF_FF00) << 12)
    }
}
