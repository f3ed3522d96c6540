/// The result of a scan: what was read, what the user asked about, and what is wrong.
public struct ScanReport: Codable, Equatable, Sendable {
    public var schemaVersion: Int
    public var generator: String
    /// What was read: "live", "root DIR", or "snapshot FILE" for a snapshot read back (its own `source` says where it was taken).
    public var origin: String
    public var intent: Intent
    public var inventory: Snapshot
    public var findings: [Finding]
    public var summary: Summary

    public struct Summary: Codable, Equatable, Sendable {
        public var errors: Int
        public var warnings: Int
        public var info: Int
    }

    public init(snapshot: Snapshot, intent: Intent = Intent(), origin: String? = nil) {
        let findings = Diagnosis.findings(for: snapshot, intent: intent)
        self.schemaVersion = Snapshot.currentSchemaVersion
        self.generator = ToolVersion.description
        self.origin = origin ?? snapshot.source
        self.intent = intent
        self.inventory = snapshot
        self.findings = findings
        self.summary = Summary(
            errors: findings.count { $0.severity == .error },
            warnings: findings.count { $0.severity == .warning },
            info: findings.count { $0.severity == .info }
        )
    }

    public var hasErrors: Bool { summary.errors > 0 }
}
