import Foundation
import ReportKit
import Scheduling
import Store

/// `herald trigger`: runs a job for a logical time and delivers its messages, recorded in the state
/// store like a scheduled run, so a logical time the daemon already ran is not run again.
public struct ManualTrigger: Sendable {
    let runtime: HeraldRuntime
    let pool: PluginPool

    /// Creates a trigger over a started plugin pool.
    public init(runtime: HeraldRuntime, pool: PluginPool) {
        self.runtime = runtime
        self.pool = pool
    }

    /// What a trigger did.
    public struct Outcome: Sendable {
        /// One line per fact, for the terminal.
        public var lines: [String]
        /// Whether every delivery ended sent (an empty digest sends nothing and succeeds).
        public var succeeded: Bool
    }

    /// Produces and delivers `job`'s digest for `logicalTime`, unless that logical time already ran.
    public func trigger(_ job: JobDefinition, at logicalTime: Date) async throws -> Outcome {
        let configuration = runtime.configuration
        let stamp = RFC3339.format(logicalTime, in: job.timeZone)
        try FileManager.default.createDirectory(at: configuration.statePath.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        let store = try SQLiteStore(path: configuration.statePath.path)
        defer { try? store.close() }
        let owner = OwnerID.current
        let run: Run
        switch try await store.claimRun(job: job.name, logicalTime: logicalTime, trigger: .manual, owner: owner, at: Date()) {
        case .claimed(let claimed): run = claimed
        case .alreadyRecorded(let existing):
            let detail = existing.detail.map { ": \($0)" } ?? ""
            return Outcome(
                lines: ["\(job.name) @ \(stamp): already ran (run \(existing.id), \(existing.state.rawValue))\(detail); not run again"],
                succeeded: existing.state.isSuccessful)
        }
        let previous = try await store.lastSuccessfulRun(job: job.name, before: logicalTime)?.logicalTime
        let outcome = await DigestRunWork(configuration: configuration, pool: pool, logger: runtime.logger)
            .perform(job, logicalTime: logicalTime, previousSuccessfulRun: previous)
        let finished = try await store.finishRun(run.id, owner: owner, outcome: outcome, at: Date())
        var lines = ["\(job.name) @ \(stamp): run \(finished.id) \(finished.state.rawValue)"]
        lines += (finished.detail ?? "").split(separator: ";").map { "  " + $0.trimmingCharacters(in: .whitespaces) }
        return Outcome(lines: lines, succeeded: finished.state.isSuccessful)
    }
}
