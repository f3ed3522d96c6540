/// A command for a person to paste into a POSIX shell, often as root. It is built from words, each quoted on its
/// own, and from a few fixed operators, so that a name from the system (chosen by firmware, or by whoever made a
/// snapshot) can never become shell syntax.
public struct ShellCommand: Equatable, Sendable {
    enum Segment: Equatable, Sendable {
        case words([String])
        case pipe
        case errorsToOutput
    }

    private(set) var segments: [Segment]

    public init(_ words: String...) {
        self.init(words)
    }

    public init(_ words: [String]) {
        segments = [.words(words)]
    }

    /// `self | words`
    public func pipe(_ words: String...) -> ShellCommand {
        var command = self
        command.segments += [.pipe, .words(words)]
        return command
    }

    /// `self 2>&1`
    public func withErrorsOnOutput() -> ShellCommand {
        var command = self
        command.segments.append(.errorsToOutput)
        return command
    }

    /// The command as it is printed, or nil when a word holds a control character: quoted it would be safe for a
    /// shell, but not on a terminal, and neutralised for the terminal it would be another command.
    public var text: String? {
        var parts: [String] = []
        for segment in segments {
            switch segment {
            case .words(let words):
                guard words.allSatisfy(Self.isPrintable) else { return nil }
                parts += words.map(Self.quote)
            case .pipe: parts.append("|")
            case .errorsToOutput: parts.append("2>&1")
            }
        }
        return parts.joined(separator: " ")
    }

    /// What stands in a list of commands for one that cannot be shown.
    static let withheld = "# (a command is left out here: a name in it holds control characters; see the evidence)"

    public var printed: String { text ?? Self.withheld }

    static func isPrintable(_ word: String) -> Bool {
        !word.unicodeScalars.contains { TerminalSafe.needsEscape($0) }
    }

    /// A word the shell takes as it is: left bare when it holds only characters with no meaning to the shell.
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            switch $0 {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", "=", ":", "@", "%", "+", ",": true
            default: false
            }
        }
        return plain ? word : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
