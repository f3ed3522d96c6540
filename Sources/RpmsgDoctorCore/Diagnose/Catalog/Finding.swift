public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One thing rpmsg-doctor has to say: what is wrong, the evidence it read, and what to do.
public struct Finding: Codable, Equatable, Sendable {
    public var id: FindingCode
    public var severity: Severity
    public var summary: String
    public var evidence: [String]
    /// What to do, in words.
    public var fix: String
    /// The exact commands, where there are any.
    public var commands: [String]
    /// The page in the source tree that explains this finding (`rpmsg-doctor explain` prints it).
    public var page: String

    /// A finding of `code` with its catalog severity, unless the evidence calls for another one the catalog allows.
    init(_ code: FindingCode, severity: Severity? = nil, _ summary: String, evidence: [String], remedy: Remedy) {
        self.id = code
        self.severity = severity ?? code.entry.severity.usual
        self.summary = summary
        self.evidence = evidence
        self.fix = remedy.text
        self.commands = remedy.commands.map(\.printed)
        self.page = code.page
    }

    /// The one order findings are reported in: most severe first, then by code (the mapping, RD1xx, before its
    /// symptoms, RD5xx), then in the order they were raised.
    public static func reportOrder(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { lhs, rhs in
            (lhs.element.severity, lhs.element.id, lhs.offset) < (rhs.element.severity, rhs.element.id, rhs.offset)
        }.map(\.element)
    }
}

/// What the user means to do, so that scan can check exactly that (`--ctrl`, `--dst`, `--src`, `--name`, `--service`).
public struct Intent: Codable, Equatable, Sendable {
    public var control: String?
    public var dst: RpmsgAddress?
    public var src: RpmsgAddress?
    public var name: String?
    public var service: String?

    public init(control: String? = nil, dst: RpmsgAddress? = nil, src: RpmsgAddress? = nil, name: String? = nil, service: String? = nil) {
        self.control = control
        self.dst = dst
        self.src = src
        self.name = name
        self.service = service
    }

    public var isEmpty: Bool { self == Intent() }
}
