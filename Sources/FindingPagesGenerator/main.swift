import FoundationEssentials

/// Writes a Swift file holding each finding page (docs/findings/RDxxx.md) as a string literal, keyed by its code.
/// Arguments: the output file, then the pages.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    fatalError("usage: FindingPagesGenerator OUTPUT PAGE...")
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

var source = "// Generated at build time from docs/findings/*.md; edit the pages, not this file.\n"
source += "enum FindingPages {\n    static let text: [String: String] = [\n"
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let code = url.deletingPathExtension().lastPathComponent
    let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    source += "        \(literal(code)): \(literal(text)),\n"
}
source += "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: output))
