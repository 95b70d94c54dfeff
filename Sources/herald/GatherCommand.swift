import ArgumentParser
import Foundation
import Gathering
import HeraldCore

struct GatherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gather",
        abstract: "Loads the sources and prints counts, totals and quarantined records.")

    @OptionGroup var options: ConfigOption
    @Option(name: .long, help: "Only this source.") var source: String?

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        var sources = runtime.configuration.sources
        if let source {
            sources = sources.filter { $0.name == source }
            guard !sources.isEmpty else {
                throw ValidationError("no source '\(source)' (sources: \(runtime.configuration.sources.map(\.name).joined(separator: ", ")))")
            }
        }
        let result: GatherResult
        do {
            result = try Gatherer.gather(sources)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        print(GatherReport(result).text, terminator: "")
    }
}
