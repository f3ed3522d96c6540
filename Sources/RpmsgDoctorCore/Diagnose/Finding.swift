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
    public var id: String
    public var severity: Severity
    public var summary: String
    public var evidence: [String]
    /// What to do, in words.
    public var fix: String
    /// The exact commands, where there are any.
    public var commands: [String]
    /// The page in the repository that explains this finding.
    public var page: String

    public init(_ code: FindingCode, _ severity: Severity, _ summary: String, evidence: [String], fix: String, commands: [String] = []) {
        self.id = code.rawValue
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
        self.fix = fix
        self.commands = commands
        self.page = code.page
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
