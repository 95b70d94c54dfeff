import Foundation
import PackagePlugin

/// Generates the registry of herald-plugins (`generatedPlugins`) from the plugin modules the
/// target depends on, and fails the build when those differ from the folders in `plugins/`.
///
/// Why the inputs are what they are (measured with Swift 6.3.1): a command with no declared
/// inputs does NOT run on every build; SwiftPM adds the tool as its only input, so it runs once.
/// And adding `plugins/New/` changes neither Package.swift (the manifest cache stays valid) nor
/// any target's folder (SwiftPM does not even re-plan). So the command declares the `plugins/`
/// folder itself as an input: creating or removing a folder in it changes its timestamp, which
/// makes llbuild run the tool, which fails the build naming the fix. The plugin modules' sources
/// are inputs too, so renaming a plugin type regenerates the registry. The tool rewrites its
/// outputs only when they change, so a rerun does not recompile herald-plugins.
@main
struct PluginRegistry: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let pluginsDirectory = context.package.directoryURL.appendingPathComponent("plugins").standardizedFileURL
        // A plugin module is a dependency whose sources live in plugins/<Folder>/.
        var modules: [(name: String, directory: URL)] = []
        var inputs = [pluginsDirectory]
        for case .target(let dependency) in target.dependencies {
            guard let sources = (dependency as? any SourceModuleTarget)?.sourceFiles,
                  let folder = sources.lazy.compactMap({ folder(of: $0.url, in: pluginsDirectory) }).first
            else { continue }
            modules.append((dependency.name, pluginsDirectory.appendingPathComponent(folder)))
            inputs += sources.map(\.url)
        }
        let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent("Registry")
        var arguments = ["--plugins-dir", pluginsDirectory.path, "--output-dir", outputDirectory.path]
        var outputs = [outputDirectory.appendingPathComponent("GeneratedRegistry.swift")]
        for module in modules {
            arguments += ["--module", module.name, module.directory.path]
            outputs.append(outputDirectory.appendingPathComponent("GeneratedRegistry+\(module.name).swift"))
        }
        return [
            .buildCommand(
                displayName: "Generating the plugin registry of herald-plugins (and checking the plugins folder against Package.swift)",
                executable: try context.tool(named: "plugin-registry").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs)
        ]
    }

    /// The first path component of `file` below `directory`, if it is below it.
    private func folder(of file: URL, in directory: URL) -> String? {
        let base = directory.pathComponents
        let components = file.standardizedFileURL.pathComponents
        guard components.count > base.count + 1, Array(components.prefix(base.count)) == base else { return nil }
        return components[base.count]
    }
}
