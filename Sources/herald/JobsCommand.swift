import ArgumentParser
import Foundation
import HeraldCore

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Lists each job with its plugin, schedule, zone, destinations, next fire time and last run.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let rows = try await JobsReport.rows(runtime.configuration)
        let header = ["JOB", "PLUGIN", "SCHEDULE", "ZONE", "DESTINATIONS", "NEXT", "LAST RUN"]
        let table = [header] + rows.map {
            [$0.job, $0.plugin, $0.schedule, $0.timeZone, $0.destinations.joined(separator: ","), $0.next, $0.lastRun]
        }
        let widths = (0..<header.count).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            print(zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
