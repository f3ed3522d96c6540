#if canImport(Glibc)
import Glibc
#endif

/// A terminal's settings (struct termios), as tcgetattr(3) reads them: saved before the probe puts an rpmsg tty in
/// raw mode, and written back on every way out.
public struct TerminalSettings: Equatable, @unchecked Sendable {
    public var value: termios

    public init(_ value: termios) {
        self.value = value
    }

    /// The same settings in raw mode (cfmakeraw): no line editing, echo, signal characters, flow control or newline
    /// translation, 8-bit bytes; reads return what has arrived.
    public var raw: TerminalSettings {
        var copy = value
        cfmakeraw(&copy)
        return TerminalSettings(copy)
    }

    /// Whether the terminal would pass every byte through unchanged.
    public var isRaw: Bool {
        value.c_lflag & tcflag_t(ICANON | ECHO | ISIG | IEXTEN) == 0 && value.c_oflag & tcflag_t(OPOST) == 0
            && value.c_iflag & tcflag_t(IXON | ICRNL | INLCR | IGNCR | ISTRIP) == 0
    }

    public static func == (lhs: TerminalSettings, rhs: TerminalSettings) -> Bool {
        withUnsafeBytes(of: lhs.value) { left in withUnsafeBytes(of: rhs.value) { right in left.elementsEqual(right) } }
    }
}
