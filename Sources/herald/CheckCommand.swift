import ArgumentParser
import Foundation
import HeraldCore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates the configuration, schedules, plugins and destinations.",
        discussion: "Prints each problem as path:line:column: error: message and exits 1 if there is any error.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let report = await ConfigurationCheck.run(configPath: options.config)
        for diagnostic in report.diagnostics { print(diagnostic) }
        guard report.errorCount == 0 else {
            printError("herald check: \(report.errorCount) error(s)")
            throw ExitCode(1)
        }
        print("ok: \(report.summary)")
    }
}
