#if canImport(Glibc)
import Glibc
#endif

extension SystemReader {
    /// The /dev node of a class device, named by DEVNAME in its uevent (the kernel's choice), else by the device name.
    func deviceNode(sysfsDevice: SysPath, name: String, owners: AccountNames) -> DeviceNode {
        let devName = optionalAttribute(sysfsDevice, "uevent", Self.devName(inUevent:)) ?? nil
        let path = SysPath("/dev") + (devName ?? name)
        switch nodeStatus(path) {
        case .failure(.missing):
            return DeviceNode(path: path.description, state: .missing)
        case .failure(let error):
            note(path, error)
            return DeviceNode(path: path.description, state: .unreadable, error: error.description)
        case .success(let status):
            return DeviceNode(
                path: path.description,
                state: status.kind == .characterDevice ? .present : .notCharacterDevice,
                devNumber: status.kind == .characterDevice ? "\(status.major):\(status.minor)" : nil,
                uid: status.uid, gid: status.gid,
                owner: owners.users[status.uid], group: owners.groups[status.gid],
                mode: status.mode
            )
        }
    }

    /// The node as the board had it: from the collector's record on a collected board, from the file system otherwise.
    private func nodeStatus(_ path: SysPath) -> Result<FileStatus, ReadError> {
        guard let collected else { return fs.status(path, followLinks: true) }
        return collected.nodes[path.description].map { .success($0) } ?? .failure(.missing)
    }

    /// The value of the first `DEVNAME=` line of a uevent, as text.
    static func devName(inUevent uevent: UnsafeBufferPointer<UInt8>) -> String? {
        let key: StaticString = "DEVNAME="
        // ASCII without carriage returns: every character is one byte, so lines and prefixes can be found in the
        // bytes. Otherwise the text decides ("\r\n" is one character, and so is "=" followed by a combining mark).
        guard DisplayText.isASCII(uevent), !uevent.contains(0x0D) else {
            let text = DisplayText.decode(uevent)
            return text.split(separator: "\n").first(where: { $0.hasPrefix("DEVNAME=") }).map { String($0.dropFirst("DEVNAME=".count)) }
        }
        var start = uevent.startIndex
        while start < uevent.endIndex {
            let end = uevent[start...].firstIndex(of: 0x0A) ?? uevent.endIndex
            if end - start >= key.utf8CodeUnitCount, memcmp(uevent.baseAddress! + start, key.utf8Start, key.utf8CodeUnitCount) == 0 {
                return DisplayText.decode(UnsafeBufferPointer(rebasing: uevent[(start + key.utf8CodeUnitCount)..<end]))
            }
            start = end + 1
        }
        return nil
    }
}
