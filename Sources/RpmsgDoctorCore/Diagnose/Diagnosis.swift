/// Pure functions from a snapshot (and what the user means to do) to findings, most severe first.
public enum Diagnosis {
    public static func findings(for snapshot: Snapshot, intent: Intent = Intent()) -> [Finding] {
        let index = TopologyIndex(snapshot: snapshot)
        let all = MappingRules.findings(index, intent: intent)
            + NodeRules.findings(snapshot)
            + KernelRules.findings(index)
            + RemoteRules.findings(index)
            + TrafficRules.findings(index, intent: intent)
            + ReadingRules.findings(snapshot)
        return all.enumerated().sorted { lhs, rhs in
            (lhs.element.severity, lhs.offset) < (rhs.element.severity, rhs.offset)
        }.map(\.element)
    }
}
