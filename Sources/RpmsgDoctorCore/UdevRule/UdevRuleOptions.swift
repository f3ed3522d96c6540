/// What a generated rules file grants, already checked: every value in it is safe to write between udev's quotes.
public struct UdevRuleOptions: Equatable, Sendable {
    public static let defaultGroup = "rpmsg"
    public static let defaultMode: UInt32 = 0o660

    public let group: String
    public let mode: UInt32
    /// Also give each endpoint device links in /dev/rpmsg/by-name.
    public let symlinks: Bool
    /// Only devices below this remote processor ("remoteproc0").
    public let remoteProcessor: String?
    /// Only devices of the channel or endpoint with this name.
    public let channel: String?

    /// - Parameter allowWorldAccess: required for a mode that lets users outside the group open the devices.
    public init(group: String = defaultGroup, mode: String = "0660", allowWorldAccess: Bool = false, symlinks: Bool = false,
                remoteProcessor: String? = nil, channel: String? = nil) throws(UdevRuleInputError) {
        self.group = try UdevRuleInput.groupName(group)
        self.mode = try UdevRuleInput.mode(mode)
        if self.mode & 0o006 != 0 && !allowWorldAccess { throw .worldAccess(mode: UdevRuleInput.modeText(self.mode)) }
        self.symlinks = symlinks
        self.remoteProcessor = try remoteProcessor.map(UdevRuleInput.remoteProcessor)
        self.channel = try channel.map(UdevRuleInput.channelName)
    }

    /// Any permission for others counts: opening rpmsg_ctrlN read-only is enough to create endpoints,
    /// because its ioctl does not check for write access.
    public var grantsWorldAccess: Bool { mode & 0o006 != 0 }

    /// The mode as udev and chmod write it ("0660").
    public var modeText: String { UdevRuleInput.modeText(mode) }

    /// The command that makes these rules again: the options that differ from the defaults, in a fixed order.
    public var commandLine: String {
        var words = ["rpmsg-doctor", "udev-rule"]
        if group != Self.defaultGroup { words += ["--group", group] }
        if mode != Self.defaultMode { words += ["--mode", modeText] }
        if grantsWorldAccess { words.append("--allow-world-writable") }
        if symlinks { words.append("--symlinks") }
        if let remoteProcessor { words += ["--remoteproc", remoteProcessor] }
        if let channel { words += ["--channel", channel] }
        return words.joined(separator: " ")
    }
}
