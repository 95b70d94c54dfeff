import Foundation
import Scheduling
import Store

/// `herald deliveries`, `herald retry ID` and `herald drop ID`: the outbox as an operator sees it.
public struct DeliveriesReport: Sendable {
    let configuration: HeraldConfiguration

    /// Creates a report over `configuration`'s state store.
    public init(configuration: HeraldConfiguration) {
        self.configuration = configuration
    }

    /// A delivery as listed: what, where, where it stands and why.
    public struct Row: Sendable, Encodable {
        public var id: Int64
        public var state: String
        public var job: String
        public var logicalTime: String
        public var destination: String
        public var recipient: String
        public var part: Int
        public var parts: Int
        public var attempts: Int
        public var due: String?
        public var remoteID: String?
        public var lastError: String?
        public var key: String
        public var updated: String
        /// The attempts log, oldest first (JSON output only).
        public var attemptsLog: [Attempt]?
    }

    /// One attempt as listed.
    public struct Attempt: Sendable, Encodable {
        public var finished: String
        public var outcome: String
        public var status: Int?
        public var error: String?
        public var response: String?
    }

    /// Deliveries in `state` (or all), most recently changed first, at most `limit`.
    public func rows(state: DeliveryState?, limit: Int, withAttempts: Bool) async throws -> [Row] {
        let store = try openStore()
        defer { try? store.close() }
        var rows: [Row] = []
        for delivery in try await store.deliveries(state: state, limit: limit) {
            var row = Row(
                id: delivery.id.rawValue, state: delivery.state.rawValue, job: delivery.job,
                logicalTime: RFC3339.format(delivery.logicalTime, in: TimeZone(identifier: "UTC")!),
                destination: delivery.destination, recipient: delivery.recipient, part: delivery.partIndex + 1,
                parts: delivery.partCount, attempts: delivery.attempts, due: delivery.dueAt.map { $0.ISO8601Format() },
                remoteID: delivery.remoteID, lastError: delivery.lastError.map(configuration.redact),
                key: delivery.key.rawValue, updated: delivery.updatedAt.ISO8601Format())
            if withAttempts {
                row.attemptsLog = try await store.attempts(of: delivery.id).map {
                    Attempt(finished: $0.finishedAt.ISO8601Format(), outcome: $0.outcome.rawValue, status: $0.status,
                            error: $0.error.map(configuration.redact), response: $0.responseExcerpt.map(configuration.redact))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// How many deliveries are in each state.
    public func counts() async throws -> [DeliveryState: Int] {
        let store = try openStore()
        defer { try? store.close() }
        return try await store.deliveryCounts()
    }

    /// Queues delivery `id` again now; a message saying what happened, and whether it did.
    public func retry(_ id: Int64) async throws -> (String, Bool) {
        let store = try openStore()
        defer { try? store.close() }
        return describe(try await store.retry(Delivery.ID(rawValue: id), at: Date()), id: id, verb: "queued again",
                        allowed: "unknown, dead, dropped or retry")
    }

    /// Drops delivery `id`; a message saying what happened, and whether it did.
    public func drop(_ id: Int64, reason: String?) async throws -> (String, Bool) {
        let store = try openStore()
        defer { try? store.close() }
        return describe(try await store.drop(Delivery.ID(rawValue: id), reason: reason ?? "dropped by an operator", at: Date()),
                        id: id, verb: "dropped", allowed: "pending, retry, dead or unknown")
    }

    private func describe(_ transition: DeliveryTransition, id: Int64, verb: String, allowed: String) -> (String, Bool) {
        switch transition {
        case .applied(let delivery):
            return ("delivery \(id) (\(delivery.job) → \(delivery.destination)) \(verb)", true)
        case .refused(let delivery):
            return ("delivery \(id) is \(delivery.state.rawValue); only a delivery that is \(allowed) can be \(verb)", false)
        case .notFound:
            return ("no delivery \(id) in \(configuration.statePath.path)", false)
        }
    }

    private func openStore() throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: configuration.statePath.path) else {
            throw StoreMissing(path: configuration.statePath.path)
        }
        return try SQLiteStore(path: configuration.statePath.path)
    }

    /// No state store yet: nothing has run.
    public struct StoreMissing: Error, CustomStringConvertible {
        /// Where the store would be.
        public var path: String
        public var description: String { "no state store at \(path) yet: nothing has run" }
    }
}
