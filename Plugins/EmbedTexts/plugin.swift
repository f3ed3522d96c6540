import Foundation
import PackagePlugin

/// Compiles texts that live in the repository into the library, so that an installed binary has them while the
/// files stay the one source: the finding pages (docs/findings/*.md, for `rpmsg-doctor explain`) and the collector
/// script (scripts/rpmsg-collect.sh, for `rpmsg-doctor collector`).
@main
struct EmbedTexts: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let pagesDirectory = package.appending(components: "docs", "findings")
        let pages = try FileManager.default.contentsOfDirectory(at: pagesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent.hasPrefix("RD") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let collector = package.appending(components: "scripts", "rpmsg-collect.sh")
        let tool = try context.tool(named: "EmbeddedTextGenerator").url
        return [
            command("FindingPages", files: pages, tool: tool, context: context),
            command("CollectorScript", files: [collector], tool: tool, context: context),
        ]
    }

    private func command(_ name: String, files: [URL], tool: URL, context: PluginContext) -> Command {
        let output = context.pluginWorkDirectoryURL.appending(component: name + ".swift")
        return .buildCommand(
            displayName: "Embedding \(name) (\(files.count) file\(files.count == 1 ? "" : "s"))",
            executable: tool,
            arguments: [output.path, name] + files.map(\.path),
            inputFiles: files,
            outputFiles: [output]
        )
    }
}
