import ArgumentParser
import Foundation
import HeraldCore
import Logging
import PluginHost

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Lists the report plugins built into herald-plugins.",
        discussion: "To add one: create plugins/<Name>/ with a type conforming to ReportPlugin, then run `make plugins`.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let plugins = try await runtime.withPluginPool(workers: 1) { try await $0.plugins() }
        let width = plugins.map(\.name.count).max() ?? 0
        for plugin in plugins.sorted(by: { $0.name < $1.name }) {
            print(plugin.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + plugin.version.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + plugin.summary)
        }
    }
}

/// Loads the configuration, printing every diagnostic and exiting 1 when it has errors.
func loadRuntime(_ path: String, logLevel: Logger.Level = .warning) throws -> HeraldRuntime {
    do {
        let runtime = try HeraldRuntime.load(configPath: path, logLevel: logLevel)
        for warning in runtime.warnings { printError(warning.description) }
        return runtime
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        throw ExitCode(1)
    }
}
