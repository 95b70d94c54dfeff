import ArgumentParser
import Foundation
import HeraldCore
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the daemon in the foreground, logging to standard error.",
        discussion: """
            SIGTERM/SIGINT: stop firing, let running jobs finish (daemon.shutdown_grace), record what was
            interrupted, exit 0. SIGHUP: reload the configuration; an invalid one is rejected and the
            running one stays.
            """)

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let runtime = try loadRuntime(options.config, logLevel: .info)
        try await HeraldDaemon.main(runtime: runtime, configPath: options.config)
    }
}
