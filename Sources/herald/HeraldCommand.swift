import ArgumentParser
import Foundation

@main
struct HeraldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Publishes programme news on a schedule: gathers data, runs report plugins, posts digests.",
        discussion: """
            Every command reads etc/herald.yaml (or --config PATH) and the jobs in schedules/ beside etc/,
            except `schedule next`, which needs no configuration.
            """,
        subcommands: [
            RunCommand.self, CheckCommand.self, JobsCommand.self, ScheduleCommand.self, PreviewCommand.self,
            TriggerCommand.self, DeliveriesCommand.self, RetryCommand.self, DropCommand.self, GatherCommand.self,
            PluginsCommand.self,
        ])
}

/// The `--config` option every command shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The daemon configuration file.")
    var config: String = "etc/herald.yaml"
}

/// Writes to standard error without buffering, so messages interleave with logs in order.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
