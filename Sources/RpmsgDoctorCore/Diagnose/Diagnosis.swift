/// Pure functions from a snapshot (and what the user means to do) to findings, in report order.
public enum Diagnosis {
    public static func findings(for snapshot: Snapshot, intent: Intent = Intent()) -> [Finding] {
        let context = DiagnosisContext(snapshot: snapshot, intent: intent)
        return Finding.reportOrder(RuleRegistry.rules.flatMap { $0.findings(in: context) })
    }
}
