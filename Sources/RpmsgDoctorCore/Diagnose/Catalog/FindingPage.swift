extension FindingCode {
    /// The page that explains this code, as docs/findings/RDxxx.md holds it (built into the binary).
    public var pageText: String? { FindingPages.text[rawValue] }
}

/// `rpmsg-doctor explain` with no code: one line per code, as grep-friendly as the inventory.
public enum CatalogListing {
    public static func lines() -> [String] {
        FindingCode.allCases.map { code in
            let entry = code.entry
            return "\(code.rawValue)  \(entry.severity.text.padding(13))  \(entry.emittedBy.padding(12))  \(entry.title)"
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
