import Foundation
import GRDB

extension SQLiteStore: OutboxStore {
    // MARK: Writing deliveries

    public func finishRun(
        _ id: Run.ID,
        owner: OwnerID,
        outcome: RunOutcome,
        enqueuing deliveries: [NewDelivery],
        at now: Date
    ) async throws -> FinishedRun {
        try await write("finishing run \(id) with \(deliveries.count) deliveries") { db in
            let run = try RunsTable.finish(db, id: id, owner: owner, outcome: outcome, at: now)
            let enqueued = try DeliveriesTable.enqueue(db, deliveries, run: run, at: now)
            return FinishedRun(run: run, enqueued: enqueued)
        }
    }

    public func enqueue(_ deliveries: [NewDelivery], run id: Run.ID, at now: Date) async throws -> EnqueueResult {
        try await write("writing \(deliveries.count) deliveries of run \(id)") { db in
            guard let run = try RunsTable.fetch(db, id: id) else {
                throw StoreError(.runNotFound, "writing the deliveries of run \(id)")
            }
            return try DeliveriesTable.enqueue(db, deliveries, run: run, at: now)
        }
    }

    // MARK: Dispatching

    public func claimDue(
        owner: OwnerID,
        now: Date,
        limit: Int,
        excludingDestinations: Set<String>,
        run: Run.ID?
    ) async throws -> [Delivery] {
        try await recordAndClaim([], owner: owner, now: now, limit: limit, excludingDestinations: excludingDestinations,
                                 run: run)
    }

    public func recordAndClaim(
        _ outcomes: [SendOutcome],
        owner: OwnerID,
        now: Date,
        limit: Int,
        excludingDestinations: Set<String>,
        run: Run.ID?
    ) async throws -> [Delivery] {
        try await write("\(outcomes.isEmpty ? "" : "recording \(outcomes.count) outcomes and ")claiming due deliveries for \(owner)") { db in
            if !outcomes.isEmpty { _ = try DeliveriesTable.record(db, outcomes, owner: owner, at: now) }
            return try DeliveriesTable.claimDue(
                db, owner: owner, now: now, limit: limit, excluding: excludingDestinations, run: run)
        }
    }

    public func nextDueTime(excludingDestinations: Set<String>, run: Run.ID?) async throws -> Date? {
        try await read("reading the next due time of the outbox") { db in
            try DeliveriesTable.nextDueTime(db, excluding: excludingDestinations, run: run)
        }
    }

    @discardableResult
    public func settle(_ outcomes: [SendOutcome], owner: OwnerID, at now: Date) async throws -> [DeliveryTransition] {
        try await write("recording the outcomes of \(outcomes.count) deliveries") { db in
            try DeliveriesTable.settle(db, outcomes, owner: owner, at: now)
        }
    }

    @discardableResult
    public func record(_ outcomes: [SendOutcome], owner: OwnerID, at now: Date) async throws -> Int {
        try await write("recording the outcomes of \(outcomes.count) deliveries") { db in
            try DeliveriesTable.record(db, outcomes, owner: owner, at: now).count { $0 == .applied }
        }
    }

    public func recoverInFlight(
        owner: OwnerID,
        idempotentDestinations: Set<String>,
        policy: ReclaimPolicy,
        at now: Date
    ) async throws -> [Delivery] {
        try await write("recovering deliveries in flight for \(owner)") { db in
            try DeliveriesTable.recoverInFlight(
                db, owner: owner, idempotentDestinations: idempotentDestinations, policy: policy, at: now
            )
        }
    }

    // MARK: Operator actions

    public func retry(_ id: Delivery.ID, at now: Date) async throws -> DeliveryTransition {
        let requeueable: Set<DeliveryState> = [.unknown, .dead, .dropped, .retry]
        return try await write("requeueing delivery \(id)") { db in
            let nowMillis = StoredTime.millis(now)
            return try Self.operatorAction(db, id, at: now, isAllowed: { requeueable.contains($0.state) }) {
                try db.execute(
                    sql: "UPDATE delivery SET state = 'pending', due_at = ?, requeued_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [nowMillis, nowMillis, nowMillis, id.rawValue]
                )
            }
        }
    }

    public func drop(_ id: Delivery.ID, reason: String?, at now: Date) async throws -> DeliveryTransition {
        let droppable: Set<DeliveryState> = [.pending, .retry, .dead, .unknown]
        return try await write("dropping delivery \(id)") { db in
            try Self.operatorAction(db, id, at: now, isAllowed: { droppable.contains($0.state) }) {
                try db.execute(
                    sql: "UPDATE delivery SET state = 'dropped', due_at = NULL, detail = ?, updated_at = ? WHERE id = ?",
                    arguments: [reason ?? "dropped by an operator", StoredTime.millis(now), id.rawValue]
                )
            }
        }
    }

    // MARK: Reading

    public func delivery(_ id: Delivery.ID) async throws -> Delivery? {
        try await read("reading delivery \(id)") { db in
            try DeliveriesTable.fetch(db, id: id)
        }
    }

    public func delivery(key: DeliveryKey) async throws -> Delivery? {
        try await read("reading delivery \(key)") { db in
            try DeliveriesTable.fetch(db, key: key)
        }
    }

    public func deliveries(state: DeliveryState?, limit: Int) async throws -> [Delivery] {
        let limit = max(0, limit)
        return try await read("reading deliveries") { db in
            let newestFirst = "ORDER BY updated_at DESC, id DESC LIMIT ?"
            if let state {
                return try DeliveriesTable.fetchAll(db, where: "state = ? \(newestFirst)", [state.rawValue, limit])
            }
            return try DeliveriesTable.fetchAll(db, where: "1 \(newestFirst)", [limit])
        }
    }

    public func deliveries(run id: Run.ID) async throws -> [Delivery] {
        try await read("reading the deliveries of run \(id)") { db in
            try DeliveriesTable.fetchAll(db, where: "run_id = ? ORDER BY destination, recipient, part_index", [id.rawValue])
        }
    }

    public func hasQueuedDeliveries(run id: Run.ID) async throws -> Bool {
        try await read("reading whether run \(id) has deliveries queued") { db in
            try DeliveriesTable.hasQueued(db, run: id)
        }
    }

    public func thread(of id: Delivery.ID) async throws -> [Delivery] {
        try await read("reading the thread of delivery \(id)") { db in
            try DeliveriesTable.thread(db, of: id)
        }
    }

    public func deliveryCounts() async throws -> [DeliveryState: Int] {
        try await read("counting deliveries") { db in
            try DeliveriesTable.counts(db)
        }
    }

    public func attempts(of id: Delivery.ID) async throws -> [DeliveryAttempt] {
        try await read("reading the attempts of delivery \(id)") { db in
            try DeliveriesTable.attempts(db, of: id)
        }
    }

    // MARK: Channel sessions

    public func channelSession(for destination: String) async throws -> Data? {
        try await read("reading the session of \(destination)") { db in
            try SessionsTable.fetch(db, destination: destination)
        }
    }

    public func saveChannelSession(_ sealed: Data?, for destination: String, at now: Date) async throws {
        try await write("recording the session of \(destination)") { db in
            try SessionsTable.save(db, sealed: sealed, destination: destination, at: now)
        }
    }

    // MARK: Rate limits

    public func rateLimits(destination: String?) async throws -> [RateLimitState] {
        try await read("reading rate limits") { db in
            try RateLimitsTable.fetchAll(db, destination: destination)
        }
    }

    public func setRateLimit(_ state: RateLimitState) async throws {
        try await write("recording the rate limit of \(state.destination)") { db in
            try RateLimitsTable.upsert(db, state)
        }
    }

    public func clearRateLimit(destination: String, bucket: String) async throws {
        try await write("clearing the rate limit of \(destination)") { db in
            try RateLimitsTable.delete(db, destination: destination, bucket: bucket)
        }
    }

    @discardableResult
    public func clearExpiredRateLimits(at now: Date) async throws -> Int {
        try await write("clearing expired rate limits") { db in
            try RateLimitsTable.deleteExpired(db, at: now)
        }
    }

    // MARK: Helpers

    private static func operatorAction(
        _ db: Database,
        _ id: Delivery.ID,
        at now: Date,
        isAllowed: (Delivery) -> Bool,
        update: () throws -> Void
    ) throws -> DeliveryTransition {
        guard let current = try DeliveriesTable.fetch(db, id: id) else { return .notFound }
        guard isAllowed(current) else { return .refused(current) }
        try update()
        guard let updated = try DeliveriesTable.fetch(db, id: id) else {
            throw StoreError(.database, "delivery \(id) vanished during an update")
        }
        return .applied(updated)
    }
}
