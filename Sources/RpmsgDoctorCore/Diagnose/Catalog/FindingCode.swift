/// Stable finding codes. A code never changes meaning; each has its entry in the catalog and its page in
/// docs/findings/, which `rpmsg-doctor explain CODE` prints.
public enum FindingCode: String, CaseIterable, Codable, Sendable, Comparable {
    case route = "RD100"
    case wrongControl = "RD101"
    case notAnnounced = "RD102"
    case controlNumbering = "RD103"
    case endpointOnWrongVirtio = "RD104"
    case noControlForVirtio = "RD105"
    case unknownControl = "RD106"
    case permissionDenied = "RD201"
    case nodeMissing = "RD203"
    case nodeMismatch = "RD204"
    case container = "RD205"
    case endpointBusy = "RD206"
    case udevNotApplied = "RD207"
    case noRpmsgBus = "RD301"
    case noControlDevices = "RD302"
    case channelWithoutDriver = "RD304"
    case noNameService = "RD305"
    case nothingAnnounced = "RD306"
    case remoteNotRunning = "RD401"
    case firmwareLoadFailed = "RD402"
    case noResourceTable = "RD403"
    case rpmsgNodeDisabled = "RD404"
    case remoteNotNotified = "RD405"
    case sharedMemoryMissing = "RD406"
    case transportProbeFailed = "RD407"
    case duplicateVirtioTransport = "RD408"
    case staleVrings = "RD409"
    case backWithoutAnnouncing = "RD410"
    case channelMoved = "RD411"
    case virtioNotReady = "RD412"
    case messageTooBig = "RD501"
    case remoteNotConsuming = "RD502"
    case noRecipient = "RD503"
    case addressTaken = "RD504"
    case remoteSilent = "RD505"
    case remoteAnswersOtherData = "RD506"
    case remoteGone = "RD507"
    case inboundMessageTooBig = "RD508"
    case endpointToDepartedAddress = "RD509"
    case ttyAnswersEndpointDoesNot = "RD510"
    case kernelLogUnreadable = "RD901"
    case partlyUnreadable = "RD902"

    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// "RD101" or "rd101".
    public init?(code: String) {
        self.init(rawValue: code.uppercased())
    }

    /// The page's path in the source tree; the installed binary carries the same text (`explain`).
    public var page: String { "docs/findings/\(rawValue).md" }

    /// What to run to read the page, for fix texts and `see:` lines.
    public var explainCommand: String { "rpmsg-doctor explain \(rawValue)" }
}
