/// Colour for a terminal, or none: decided once by the caller (a TTY, and NO_COLOR unset).
public struct Style: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    public func severity(_ severity: Severity) -> SafeText {
        let word = SafeText(severity.rawValue)
        guard enabled else { return word }
        switch severity {
        case .error: return SafeText(styling: "\u{1B}[1;31m", word, "\u{1B}[0m")
        case .warning: return SafeText(styling: "\u{1B}[1;33m", word, "\u{1B}[0m")
        case .info: return SafeText(styling: "\u{1B}[1;36m", word, "\u{1B}[0m")
        }
    }

    public func bold(_ text: SafeText) -> SafeText { enabled ? SafeText(styling: "\u{1B}[1m", text, "\u{1B}[0m") : text }
    public func dim(_ text: SafeText) -> SafeText { enabled ? SafeText(styling: "\u{1B}[2m", text, "\u{1B}[0m") : text }
    func green(_ text: SafeText) -> SafeText { enabled ? SafeText(styling: "\u{1B}[32m", text, "\u{1B}[0m") : text }
    func red(_ text: SafeText) -> SafeText { enabled ? SafeText(styling: "\u{1B}[1;31m", text, "\u{1B}[0m") : text }
    func yellow(_ text: SafeText) -> SafeText { enabled ? SafeText(styling: "\u{1B}[33m", text, "\u{1B}[0m") : text }
}
