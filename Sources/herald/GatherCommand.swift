import ArgumentParser
import Foundation
import Gathering
import HeraldCore

struct GatherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gather",
        abstract: "Loads the sources and prints counts, totals and quarantined records.",
        discussion: """
            Remote sources are fetched with a conditional GET (their last body and parse are cached under \
            var/cache/sources). Exits 1 when a source cannot be read or when a source's quarantine exceeds \
            its max_bad_rows, after printing the report.
            """)

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
            result = try await ReportPipeline.gather(sources, home: runtime.configuration.home)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        print(GatherReport(result).text, terminator: "")
        let breaches = result.limitBreaches
        for breach in breaches { printError("\(breach)") }
        if !breaches.isEmpty { throw ExitCode(1) }
    }
}
