import Foundation
import Logging
import PluginHost

/// `herald check`: every problem in the configuration, the jobs, their plugins and options.
public enum ConfigurationCheck {
    /// The outcome of a check.
    public struct Report: Sendable {
        /// Every problem found, in file and line order.
        public var diagnostics: [Diagnostic]
        /// What was checked, for the success line.
        public var summary: String

        /// The number of errors (warnings do not fail a check).
        public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    }

    /// Loads the configuration at `configPath`, then asks the plugin host whether each job's plugin
    /// exists and accepts its options.
    public static func run(configPath: String) async -> Report {
        let runtime: HeraldRuntime
        do {
            runtime = try HeraldRuntime.load(configPath: configPath, logLevel: .warning)
        } catch {
            return Report(diagnostics: error.diagnostics, summary: "")
        }
        var diagnostics = runtime.warnings
        let configuration = runtime.configuration
        do {
            try await runtime.withPluginPool(workers: 1) { pool in
                let available = try await pool.plugins().map(\.name)
                for job in configuration.jobs {
                    guard available.contains(job.plugin) else {
                        let p = job.pluginPosition
                        diagnostics.append(Diagnostic(
                            file: p.file, line: p.line, column: p.column,
                            message: "unknown plugin '\(job.plugin)' (available: \(available.sorted().joined(separator: ", ")))"))
                        continue
                    }
                    do {
                        try await pool.validate(plugin: job.plugin, options: try JSONValue(parsing: job.options))
                    } catch let problem as PluginRunError {
                        let p = job.optionsPosition
                        diagnostics.append(Diagnostic(file: p.file, line: p.line, column: p.column,
                                                      message: "options for '\(job.plugin)': \(problem.message)"))
                    }
                }
            }
        } catch {
            diagnostics.append(Diagnostic(
                file: configuration.plugins.executable.path, line: 1, column: 1,
                message: "cannot run the plugin host: \(error) (build it with `make build`)"))
        }
        let summary = "\(configuration.jobs.count) jobs, \(configuration.destinations.count) destinations, "
            + "\(configuration.sources.count) sources"
        return Report(diagnostics: diagnostics.sorted(), summary: summary)
    }
}
