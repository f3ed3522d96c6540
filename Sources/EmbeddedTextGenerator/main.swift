import FoundationEssentials

/// Writes a Swift file holding each given file as a string literal, keyed by its name without extension:
/// `EmbeddedTextGenerator OUTPUT ENUM FILE...` gives `enum ENUM { static let text: [String: String] }`.
let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    fatalError("usage: EmbeddedTextGenerator OUTPUT ENUM FILE...")
}

func literal(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": result += "\\\\"
        case "\"": result += "\\\""
        case "\n": result += "\\n"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += "\\u{\(String(scalar.value, radix: 16))}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

let entries = try arguments.dropFirst(2).map { path in
    let url = URL(fileURLWithPath: path)
    let key = url.deletingPathExtension().lastPathComponent
    return "        \(literal(key)): \(literal(String(decoding: try Data(contentsOf: url), as: UTF8.self))),\n"
}
let source = "// Generated at build time from files of the repository; edit them, not this file.\n"
    + "enum \(arguments[1]) {\n    static let text: [String: String] = [\n" + entries.joined() + "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[0]))
