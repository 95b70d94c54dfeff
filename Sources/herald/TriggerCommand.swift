import ArgumentParser
import Foundation
import HeraldCore

struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Runs a job now for a logical time and delivers its messages.",
        discussion: """
            Exits 0 only when every delivery ended sent. The same job and logical time is delivered at most
            once: triggering it again reports what was already delivered and sends nothing new.
            """)

    @OptionGroup var options: ConfigOption
    @Argument(help: "The job's name (its file name in schedules/).") var job: String
    @OptionGroup var time: LogicalTimeOption

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let job = try findJob(self.job, in: runtime)
        let logicalTime = try time.resolve()
        let outcome = try await runtime.withPluginPool(workers: 1) { pool in
            try await ManualTrigger(runtime: runtime, pool: pool).trigger(job, at: logicalTime)
        }
        for line in outcome.lines { print(line) }
        if !outcome.succeeded { throw ExitCode(1) }
    }
}
