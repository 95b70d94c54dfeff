import Channels
import Foundation
import ReportKit
import Scheduling
import Store

/// `herald trigger`: runs a job for a logical time, queues its deliveries in the outbox and sends them,
/// recorded in the state store like a scheduled run, so a logical time the daemon already ran is not run
/// again (its deliveries still waiting are sent, and nothing already sent is sent twice).
public struct ManualTrigger: Sendable {
    let runtime: HeraldRuntime
    let pool: PluginPool
    /// How long to keep sending before leaving retries to the daemon; zero only queues, for the daemon to send.
    let patience: Duration

    /// Creates a trigger over a started plugin pool.
    public init(runtime: HeraldRuntime, pool: PluginPool, patience: Duration = .seconds(60)) {
        self.runtime = runtime
        self.pool = pool
        self.patience = patience
    }

    /// What a trigger did.
    public struct Outcome: Sendable {
        /// One line per fact, for the terminal.
        public var lines: [String]
        /// Whether the run succeeded and every delivery ended sent (an empty digest sends nothing and succeeds).
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
        var lines: [String] = []
        let run: Run
        switch try await store.claimRun(job: job.name, logicalTime: logicalTime, trigger: .manual, owner: owner, at: Date()) {
        case .claimed(let claimed):
            let previous = try await store.lastSuccessfulRun(job: job.name, before: logicalTime)?.logicalTime
            let result = await DigestRunWork(configuration: configuration, pool: pool, logger: runtime.logger)
                .perform(job, run: claimed, previousSuccessfulRun: previous)
            let finished = try await store.finishRun(claimed.id, owner: owner, outcome: result.outcome,
                                                     enqueuing: result.deliveries, at: Date())
            run = finished.run
            lines.append("\(job.name) @ \(stamp): run \(run.id) \(run.state.rawValue)\(run.detail.map { ": \($0)" } ?? "")")
        case .alreadyRecorded(let existing):
            run = existing
            let detail = existing.detail.map { ": \($0)" } ?? ""
            lines.append("\(job.name) @ \(stamp): already ran (run \(existing.id), \(existing.state.rawValue))\(detail); not run again")
        }
        // Whether to send is asked of the store (one index probe); the deliveries are read once, as they end up.
        let deliveries: [Delivery]
        if patience > .zero, try await store.hasQueuedDeliveries(run: run.id) {
            deliveries = try await runtime.withDispatcher(store: store, owner: owner) { dispatcher in
                // Holds that services asked for apply here too; sends a dead process left in flight are settled first.
                try await dispatcher.recover()
                return try await dispatcher.deliver(run: run.id, patience: patience)
            }
        } else {
            deliveries = try await store.deliveries(run: run.id)
        }
        lines += Self.summarise(deliveries)
        let allSent = deliveries.allSatisfy { $0.state == .sent }
        if !allSent {
            lines.append("  not every delivery was sent: `herald deliveries` shows them; the daemon retries those waiting")
        }
        return Outcome(lines: lines.map(configuration.redact), succeeded: run.state.isSuccessful && allSent)
    }

    /// Every delivery when there are few; else counts per destination and state, and the first that were not sent.
    static func summarise(_ deliveries: [Delivery], listing limit: Int = 20) -> [String] {
        if deliveries.count <= limit { return deliveries.map { "  " + describe($0) } }
        // Counted in one pass, without grouping copies of the deliveries: a run may have ten thousand.
        var counts: [String: [DeliveryState: Int]] = [:]
        var unsent: [Int] = []
        var unsentCount = 0
        for (index, delivery) in deliveries.enumerated() {
            counts[delivery.destination, default: [:]][delivery.state, default: 0] += 1
            guard delivery.state != .sent else { continue }
            unsentCount += 1
            if unsent.count < limit { unsent.append(index) }
        }
        var lines: [String] = []
        for (destination, states) in counts.sorted(by: { $0.key < $1.key }) {
            let counted = states.map { "\($0.value) \($0.key.rawValue)" }.sorted()
            lines.append("  \(destination): \(counted.joined(separator: ", "))")
        }
        lines += unsent.map { "  " + describe(deliveries[$0]) }
        if unsentCount > limit { lines.append("  … and \(unsentCount - limit) more not sent (`herald deliveries`)") }
        return lines
    }

    static func describe(_ delivery: Delivery) -> String {
        var text = "\(delivery.destination)"
        if !delivery.recipient.isEmpty { text += " → \(delivery.recipient)" }
        if delivery.partCount > 1 { text += " (part \(delivery.partIndex + 1)/\(delivery.partCount))" }
        text += ": \(delivery.state.rawValue)"
        switch delivery.state {
        case .sent: if let remote = delivery.remoteID { text += " (\(remote))" }
        case .retry:
            if let due = delivery.dueAt { text += " at \(due.ISO8601Format())" }
            if let error = delivery.lastError { text += ": \(error)" }
        default: if let error = delivery.lastError { text += ": \(error)" }
        }
        return text + " [delivery \(delivery.id)]"
    }
}
