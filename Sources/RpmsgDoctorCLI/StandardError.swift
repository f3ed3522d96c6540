import Foundation

func printToStandardError(_ message: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((message + (newline ? "\n" : "")).utf8))
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
func standardOutputWantsColor() -> Bool {
    isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
}
