import Channels
import Foundation
import Logging
import ReportKit
import Store

/// What a run came to: its outcome, and the deliveries to queue with it (in one transaction).
public struct RunResult: Sendable {
    /// How the run ended.
    public var outcome: RunOutcome
    /// The messages to write to the outbox; empty for an empty digest or a failure.
    public var deliveries: [NewDelivery]

    /// Creates a result.
    public init(outcome: RunOutcome, deliveries: [NewDelivery] = []) {
        self.outcome = outcome
        self.deliveries = deliveries
    }
}

/// The work of one run once it has been claimed: produce the digest and render what to deliver.
///
/// The scheduler and executor own *when* and *whether* a run happens; this owns *what* it does,
/// so tests can drive months of schedule with work that only records what it was asked.
public protocol RunWork: Sendable {
    /// Performs `run` of `job` and says how it ended; never throws — a failure is an outcome.
    func perform(_ job: JobDefinition, run: Run, previousSuccessfulRun: Date?) async -> RunResult
}

/// The real work: gather, run the plugin, render the digest for every destination of the job.
/// Sending is the dispatcher's: the run ends when its deliveries are safely in the outbox.
public struct DigestRunWork: RunWork {
    let pipeline: ReportPipeline
    var configuration: HeraldConfiguration { pipeline.configuration }

    /// Creates the work over a started plugin pool.
    public init(configuration: HeraldConfiguration, pool: PluginPool, logger: Logger) {
        pipeline = ReportPipeline(configuration: configuration, pool: pool, logger: logger)
    }

    public func perform(_ job: JobDefinition, run: Run, previousSuccessfulRun: Date?) async -> RunResult {
        let produced: ProducedDigest
        do {
            produced = try await pipeline.produce(job, at: run.logicalTime, previousSuccessfulRun: previousSuccessfulRun)
        } catch {
            return RunResult(outcome: .failed(configuration.redact(error.description)))
        }
        let digestHash = DigestHash.of(produced.digest)
        if produced.digest.isEmpty {
            return RunResult(outcome: .empty(snapshotHash: produced.snapshotHash, digestHash: digestHash, detail: "nothing to post"))
        }
        let rendering = await DigestRendering(configuration: configuration).calibrated(for: job)
        do {
            let deliveries = try rendering.deliveries(produced.digest, job: job, logicalTime: run.logicalTime, runID: run.id.description)
            let counts = Dictionary(grouping: deliveries, by: \.destination).mapValues(\.count)
            let detail = "queued " + job.destinations.map { "\(counts[$0] ?? 0) to \($0)" }.joined(separator: ", ")
            return RunResult(outcome: .succeeded(snapshotHash: produced.snapshotHash, digestHash: digestHash, detail: detail),
                             deliveries: deliveries)
        } catch {
            return RunResult(outcome: .failed(configuration.redact(error.description), snapshotHash: produced.snapshotHash,
                                              digestHash: digestHash))
        }
    }
}
