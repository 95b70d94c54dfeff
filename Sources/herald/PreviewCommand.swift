import ArgumentParser
import Channels
import Foundation
import HeraldCore

struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Shows exactly what a job would send; sends nothing.",
        discussion: "An empty digest (nothing to post) is reported as such and would send nothing.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: ConfigOption
    @Argument(help: "The job's name (its file name in schedules/).") var job: String
    @OptionGroup var time: LogicalTimeOption
    @Option(name: .long, help: "Only this destination.") var destination: String?
    @Option(name: .long, help: "text or json.") var format: Format = .text

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let job = try findJob(self.job, in: runtime)
        if let destination, !job.destinations.contains(destination) {
            throw ValidationError("job '\(job.name)' does not send to '\(destination)' (it sends to \(job.destinations.joined(separator: ", ")))")
        }
        let logicalTime = try time.resolve()
        let preview = try await runtime.withPluginPool(workers: 1) { pool in
            try await RunPreview(runtime: runtime, pool: pool).preview(job, at: logicalTime, destination: destination)
        }
        switch format {
        case .text: print(preview.text, terminator: "")
        case .json: print(preview.json)
        }
    }
}

func findJob(_ name: String, in runtime: HeraldRuntime) throws -> JobDefinition {
    guard let job = runtime.configuration.job(named: name) else {
        let names = runtime.configuration.jobs.map(\.name).joined(separator: ", ")
        throw ValidationError("no job '\(name)' in \(runtime.configuration.schedulesDirectory.path) (jobs: \(names))")
    }
    return job
}
