import Foundation
import PackagePlugin

/// Compiles docs/findings/*.md into the library, so that `rpmsg-doctor explain` works from an installed binary
/// while the pages in docs/findings stay the one source.
@main
struct EmbedFindingPages: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let pagesDirectory = context.package.directoryURL.appending(components: "docs", "findings")
        let pages = try FileManager.default.contentsOfDirectory(at: pagesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent.hasPrefix("RD") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(component: "FindingPages.swift")
        return [.buildCommand(
            displayName: "Embedding \(pages.count) finding pages",
            executable: try context.tool(named: "FindingPagesGenerator").url,
            arguments: [output.path] + pages.map(\.path),
            inputFiles: pages,
            outputFiles: [output]
        )]
    }
}
