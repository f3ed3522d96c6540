import RpmsgDoctorCore

struct CharacterRegion {
    var name: String
    var major: UInt32
    var nextMinor: UInt32 = 0
}

extension Board {
    /// Regions every Linux system has, so /proc/devices looks like a real one around the rpmsg lines.
    static let standardCharacterRegions: [(UInt32, String)] = [
        (1, "mem"), (4, "/dev/vc/0"), (4, "tty"), (4, "ttyS"), (5, "/dev/tty"), (5, "/dev/console"), (5, "/dev/ptmx"),
        (7, "vcs"), (10, "misc"), (13, "input"), (89, "i2c"), (128, "ptm"), (136, "pts"), (153, "spi"), (254, "gpiochip"),
    ]
    static let standardBlockRegions: [(UInt32, String)] = [(7, "loop"), (8, "sd"), (179, "mmc"), (259, "blkext")]

    var controlRegion: String { kernel.splitsCharacterMajors ? "rpmsg_ctrl" : "rpmsg" }
    var endpointRegion: String { kernel.splitsCharacterMajors ? "rpmsg_char" : "rpmsg" }

    /// The major the kernel gave a character region (`rpmsg`, `rpmsg_ctrl`, `rpmsg_char`, a tty driver's).
    public func major(ofRegion name: String) -> UInt32? {
        regions.first(where: { $0.name == name })?.major
    }

    /// Registers a region with the next dynamic major, counting down from 245 as the kernel does from 254.
    @discardableResult
    func addCharacterRegion(_ name: String) throws -> UInt32 {
        let major = nextDynamicMajor
        nextDynamicMajor -= 1
        regions.append(CharacterRegion(name: name, major: major))
        try writeProcDevices()
        return major
    }

    func allocateNumber(in regionName: String) -> DeviceNumber {
        guard let index = regions.firstIndex(where: { $0.name == regionName }) else {
            preconditionFailure("region \(regionName) was never registered")
        }
        defer { regions[index].nextMinor += 1 }
        return DeviceNumber(major: regions[index].major, minor: regions[index].nextMinor)
    }

    /// /proc/devices: "%3d %s" lines sorted by major, a blank line, then the block section.
    private func writeProcDevices() throws {
        let characters = Self.standardCharacterRegions + regions.map { ($0.major, $0.name) }
        func lines(_ entries: [(UInt32, String)]) -> String {
            entries.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { _, entry in
                let major = String(entry.0)
                return String(repeating: " ", count: max(0, 3 - major.count)) + major + " " + entry.1 + "\n"
            }.joined()
        }
        let text = "Character devices:\n" + lines(characters) + "\nBlock devices:\n" + lines(Self.standardBlockRegions)
        try tree.write(SysPath("/proc/devices"), text)
    }
}
