/// Quoting for the commands rpmsg-doctor prints for a person to paste into a POSIX shell.
enum ShellWord {
    static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            switch $0 {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", "=", ":", "@", "%", "+", ",": true
            default: false
            }
        }
        return plain ? word : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }

    static func command(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
