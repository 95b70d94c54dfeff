import ArgumentParser
import Foundation
import HeraldCore
import Scheduling

struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Runs a job now for a logical time and delivers its messages.",
        discussion: """
            The run's messages are written to the outbox, then sent, with retries, for up to --wait; what is             still waiting for a retry then is left to the daemon (--wait 0s only queues them for the daemon). Exits 0 only when every delivery ended sent.             The same job and logical time runs at most once: triggering it again sends only what is still             waiting and never repeats a sent message.
            """)

    @OptionGroup var options: ConfigOption
    @Argument(help: "The job's name (its file name in schedules/).") var job: String
    @OptionGroup var time: LogicalTimeOption
    @Option(name: .long, help: "How long to keep sending before leaving retries to the daemon, e.g. 60s or 5m.")
    var wait: String = "60s"

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let job = try findJob(self.job, in: runtime)
        let logicalTime = try time.resolve()
        guard let patience = try? ConfigDuration(wait).seconds else { throw ValidationError("--wait: '\(wait)' is not a duration (e.g. 60s, 5m)") }
        let outcome = try await runtime.withPluginPool(workers: 1) { pool in
            try await ManualTrigger(runtime: runtime, pool: pool, patience: .milliseconds(Int64(patience * 1000))).trigger(job, at: logicalTime)
        }
        for line in outcome.lines { print(line) }
        if !outcome.succeeded { throw ExitCode(1) }
    }
}
