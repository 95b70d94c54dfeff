import Foundation
import Logging
import ReportKit
import Store

/// The work of one run once it has been claimed: produce the digest and deliver it.
///
/// The scheduler and executor own *when* and *whether* a run happens; this owns *what* it does,
/// so tests can drive months of schedule with work that only records what it was asked.
public protocol RunWork: Sendable {
    /// Performs `job` for `logicalTime` and says how it ended; never throws — a failure is an outcome.
    func perform(_ job: JobDefinition, logicalTime: Date, previousSuccessfulRun: Date?) async -> RunOutcome
}

/// The real work: gather, run the plugin, deliver to every destination.
public struct DigestRunWork: RunWork {
    let pipeline: ReportPipeline
    var configuration: HeraldConfiguration { pipeline.configuration }

    /// Creates the work over a started plugin pool.
    public init(configuration: HeraldConfiguration, pool: PluginPool, logger: Logger) {
        pipeline = ReportPipeline(configuration: configuration, pool: pool, logger: logger)
    }

    public func perform(_ job: JobDefinition, logicalTime: Date, previousSuccessfulRun: Date?) async -> RunOutcome {
        let produced: ProducedDigest
        do {
            produced = try await pipeline.produce(job, at: logicalTime, previousSuccessfulRun: previousSuccessfulRun)
        } catch {
            return .failed(configuration.redact(error.description))
        }
        let digestHash = DigestHash.of(produced.digest)
        if produced.digest.isEmpty {
            return .empty(snapshotHash: produced.snapshotHash, digestHash: digestHash, detail: "nothing to post")
        }
        let results = MessageDelivery(configuration: configuration)
            .deliver(produced.digest, job: job, logicalTime: logicalTime)
        let detail = results.map { result -> String in
            switch result.outcome {
            case .sent(let place): return "\(result.destination): sent \(place)"
            case .alreadySent(let place): return "\(result.destination): already sent \(place)"
            case .failed(let reason): return "\(result.destination): failed: \(reason)"
            }
        }.joined(separator: "; ")
        guard results.allSatisfy(\.isDelivered) else {
            return .failed(configuration.redact(detail), snapshotHash: produced.snapshotHash, digestHash: digestHash)
        }
        return .succeeded(snapshotHash: produced.snapshotHash, digestHash: digestHash, detail: detail)
    }
}
