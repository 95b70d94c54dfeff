import Foundation
import GRDB

/// Writing the outbox: enqueueing, claiming due deliveries, recording outcomes, recovering sends in flight.
extension DeliveriesTable {
    /// Writes `deliveries` for `run`, leaving any whose key exists as it is.
    static func enqueue(_ db: Database, _ deliveries: [NewDelivery], run: Run, at now: Date) throws -> EnqueueResult {
        let nowMillis = StoredTime.millis(now)
        let logicalMillis = StoredTime.millis(run.logicalTime)
        var inserted: [Delivery] = []
        var existing: [Delivery] = []
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (run_id, job, logical_time, destination, recipient, part_index, part_count,
                                      delivery_key, state, attempts, due_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """
        )
        let payload = try db.cachedStatement(sql: "INSERT INTO delivery_payload (delivery_id, payload) VALUES (?, ?)")
        for new in deliveries {
            let key = new.key(job: run.job, logicalTime: run.logicalTime)
            try statement.execute(arguments: [
                run.id.rawValue, run.job, logicalMillis, new.destination, new.recipient, new.partIndex,
                new.partCount, key.rawValue, nowMillis, nowMillis, nowMillis,
            ])
            if db.changesCount > 0 {
                let id = db.lastInsertedRowID
                try payload.execute(arguments: [id, new.payload])
                inserted.append(try refetch(db, Delivery.ID(rawValue: id)))
            } else if let stored = try fetch(db, key: key)
                ?? fetchOne(
                    db,
                    where: "run_id = ? AND destination = ? AND recipient = ? AND part_index = ?",
                    [run.id.rawValue, new.destination, new.recipient, new.partIndex]
                )
            {
                existing.append(stored)
            } else {
                throw StoreError(.database, "delivery \(key) of run \(run.id) was neither written nor found")
            }
        }
        return EnqueueResult(inserted: inserted, existing: existing)
    }

    static func claimDue(
        _ db: Database,
        owner: OwnerID,
        now: Date,
        limit: Int,
        excluding destinations: Set<String>,
        run: Run.ID? = nil
    ) throws -> [Delivery] {
        guard limit > 0 else { return [] }
        let nowMillis = StoredTime.millis(now)
        let (exclusion, exclusionArguments) = excludingCondition(destinations, run: run)
        // The due index yields queued deliveries in claim order, so the scan stops after `limit` claimable ones;
        // without INDEXED BY, SQLite may pick the state index and sort every queued delivery on each claim.
        // The write transaction serialises claimers (across processes too, by SQLite's lock), so the rows selected
        // here are still queued when updated; the state guard in the UPDATE keeps it correct on its own.
        // Both statements are cached: a dispatcher claims many times a second, and compiling them cost more than
        // running them.
        let ids = try Int64.fetchAll(
            db.cachedStatement(sql: """
                SELECT id FROM delivery INDEXED BY delivery_due
                WHERE state IN ('pending', 'retry') AND due_at <= ? \(exclusion) AND \(noEarlierPartPending)
                ORDER BY due_at, id LIMIT ?
                """),
            arguments: [nowMillis] + exclusionArguments + [limit]
        )
        guard !ids.isEmpty else { return [] }
        // One statement claims them all and returns the claimed rows (a dispatcher claims thousands a second);
        // RETURNING gives no order, so the claim order is restored from `ids`. NOT INDEXED keeps SQLite to rowid
        // lookups: without statistics it prefers the state index for `state IN (…)` and reads every queued
        // delivery's index entry on each claim, which made claiming quadratic in the length of the queue. The ids
        // go in as one JSON array, so the statement is prepared once whatever their number.
        let claim = try db.cachedStatement(sql: """
            UPDATE delivery NOT INDEXED
            SET state = 'sending', attempts = attempts + 1, due_at = NULL, claimed_by = ?, claimed_at = ?, updated_at = ?
            WHERE id IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'retry')
            RETURNING \(columns)
            """)
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let claimed = try decodeAll(claim, [owner.rawValue, nowMillis, nowMillis, list])
        guard claimed.count > 1 else { return claimed }
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        return claimed.sorted { position[$0.id.rawValue, default: 0] < position[$1.id.rawValue, default: 0] }
    }

    /// What recording one outcome did.
    enum Recorded: Equatable {
        /// The delivery's state changed as the outcome says.
        case applied
        /// The delivery's state did not allow it (see ``record(_:_:owner:at:)``); only the attempt was logged.
        case refused
        /// No delivery has this id; nothing was written.
        case notFound
    }

    /// Records sends' outcomes in the attempts log and, where each delivery's state allows, applies them; reads no
    /// delivery back (a dispatcher records thousands a second and needs no rows). Returns what happened to each, in
    /// the order given.
    ///
    /// `sent` is the truth whenever it comes, so it applies from any state but `sent`; the other outcomes apply only
    /// while the delivery is `sending` under `owner`'s claim, so that a late report cannot undo another instance's
    /// recovery or claim. Both rules are conditions of the UPDATE itself, evaluated inside the caller's write
    /// transaction, so they hold against any concurrent writer.
    ///
    /// Outcomes that would write the same values (every `sent` with a 2xx and no remote id, say) are written by one
    /// INSERT and one UPDATE for all of them: a statement per delivery cost more than the rows it wrote. When an id
    /// comes twice, each outcome is written on its own, in order, as the rules then depend on the order.
    static func record(_ db: Database, _ outcomes: [SendOutcome], owner: OwnerID, at now: Date) throws -> [Recorded] {
        var groups: [[Int]] = []
        if Set(outcomes.map(\.id)).count == outcomes.count {
            struct Key: Hashable {
                var result: SendOutcome.Result
                var report: AttemptReport
            }
            var slot: [Key: Int] = [:]
            for (index, outcome) in outcomes.enumerated() {
                let key = Key(result: outcome.result, report: outcome.report)
                if let existing = slot[key] {
                    groups[existing].append(index)
                } else {
                    slot[key] = groups.count
                    groups.append([index])
                }
            }
        } else {
            groups = outcomes.indices.map { [$0] }
        }
        var recorded = [Recorded](repeating: .notFound, count: outcomes.count)
        for group in groups {
            let ids = group.map { outcomes[$0].id.rawValue }
            let applied = try record(db, ids: ids, outcomes[group[0]], owner: owner, at: now)
            for index in group { recorded[index] = applied[outcomes[index].id.rawValue] ?? .notFound }
        }
        return recorded
    }

    /// Records the same outcome for every delivery in `ids` (distinct): one attempts-log entry each and, where allowed,
    /// the change. The ids go in as one JSON array, so each statement is prepared once whatever their number.
    static func record(_ db: Database, ids: [Int64], _ outcome: SendOutcome, owner: OwnerID, at now: Date)
        throws -> [Int64: Recorded]
    {
        let nowMillis = StoredTime.millis(now)
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let state: DeliveryState
        let error: String?
        let assignments: String
        let arguments: StatementArguments
        let allowed: String
        let holdsClaim = "state = 'sending' AND claimed_by = ?"
        switch outcome.result {
        case .sent(let remoteID):
            (state, error) = (.sent, nil)
            assignments = "remote_id = ?, due_at = NULL, detail = NULL"
            arguments = [remoteID]
            allowed = "state <> 'sent'"
        case .retry(let due, let message):
            (state, error) = (.retry, message)
            assignments = "due_at = ?, detail = ?"
            arguments = [StoredTime.millis(due), message]
            allowed = holdsClaim
        case .dead(let reason):
            (state, error) = (.dead, reason)
            assignments = "due_at = NULL, detail = ?"
            arguments = [reason]
            allowed = holdsClaim
        case .unknown(let reason):
            (state, error) = (.unknown, reason)
            assignments = "due_at = NULL, detail = ?"
            arguments = [reason]
            allowed = holdsClaim
        }
        // The attempt is logged whether or not the state allows the change; its start is the claim's time when
        // `owner` holds the claim (a report for a claim it lost has no known start). A missing delivery selects no
        // row, so nothing is logged for it. NOT INDEXED: the rows are found by rowid, never by scanning an index.
        try db.cachedStatement(sql: """
            INSERT INTO delivery_attempt (delivery_id, owner, started_at, finished_at, outcome, status, error,
                                          response_excerpt)
            SELECT id, ?, CASE WHEN claimed_by = ? THEN claimed_at END, ?, ?, ?, ?, ?
            FROM delivery NOT INDEXED WHERE id IN (SELECT value FROM json_each(?))
            """).execute(arguments: [
                owner.rawValue, owner.rawValue, nowMillis, state.rawValue, outcome.report.status, error,
                outcome.report.responseExcerpt, list,
            ])
        var found = Set(ids)
        if db.changesCount != ids.count {
            found = Set(try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM delivery NOT INDEXED WHERE id IN (SELECT value FROM json_each(?))"),
                arguments: [list]))
        }
        guard !found.isEmpty else { return [:] }
        let guardArguments: StatementArguments = state == .sent ? [] : [owner.rawValue]
        let changed = try Int64.fetchAll(
            db.cachedStatement(sql: """
                UPDATE delivery NOT INDEXED SET state = ?, \(assignments), updated_at = ?
                WHERE id IN (SELECT value FROM json_each(?)) AND \(allowed)
                RETURNING id
                """),
            arguments: [state.rawValue] + arguments + [nowMillis, list] + guardArguments)
        var recorded = Dictionary(uniqueKeysWithValues: found.map { ($0, Recorded.refused) })
        for id in changed { recorded[id] = .applied }
        return recorded
    }

    /// Records sends' outcomes as ``record(_:_:owner:at:)`` does and returns each delivery as it then stands.
    static func settle(_ db: Database, _ outcomes: [SendOutcome], owner: OwnerID, at now: Date) throws -> [DeliveryTransition] {
        try zip(outcomes, record(db, outcomes, owner: owner, at: now)).map { outcome, recorded in
            switch recorded {
            case .notFound: .notFound
            case .applied: .applied(try refetch(db, outcome.id))
            case .refused: .refused(try refetch(db, outcome.id))
            }
        }
    }

    static func recoverInFlight(
        _ db: Database,
        owner: OwnerID,
        idempotentDestinations: Set<String>,
        policy: ReclaimPolicy,
        at now: Date
    ) throws -> [Delivery] {
        let nowMillis = StoredTime.millis(now)
        let staleBefore = nowMillis - StoredTime.millis(policy.leaseDuration)
        let candidates = try fetchAll(
            db,
            where: "state = 'sending' AND (claimed_by IS NULL OR claimed_by <> ?) ORDER BY id",
            [owner.rawValue]
        )
        var liveness: [OwnerID: Bool] = [:]  // one probe per owner, however many deliveries it holds
        var recovered: [Delivery] = []
        for delivery in candidates {
            let claimant = delivery.claimedBy ?? OwnerID(rawValue: "")
            let isAlive = liveness[claimant] ?? policy.isOwnerAlive(claimant)
            liveness[claimant] = isAlive
            let claimedMillis = delivery.claimedAt.map(StoredTime.millis) ?? Int64.min
            let why: String
            if !isAlive {
                why = "the instance sending it (\(claimant)) stopped before recording the outcome"
            } else if claimedMillis < staleBefore {
                why = "the instance sending it (\(claimant)) recorded no outcome within the lease"
            } else {
                continue
            }
            let resend = idempotentDestinations.contains(delivery.destination)
            let detail =
                resend
                ? "\(why); sending again with the same key, which \(delivery.destination) deduplicates"
                : "\(why); the request may have arrived, and \(delivery.destination) does not deduplicate: "
                    + "retry or drop it"
            try db.execute(
                sql: """
                    UPDATE delivery SET state = ?, due_at = ?, detail = ?, updated_at = ?
                    WHERE id = ? AND state = 'sending' AND claimed_by IS ?
                    """,
                arguments: [
                    resend ? DeliveryState.retry.rawValue : DeliveryState.unknown.rawValue,
                    resend ? nowMillis : nil, detail, nowMillis, delivery.id.rawValue, delivery.claimedBy?.rawValue,
                ]
            )
            guard db.changesCount == 1 else { continue }
            try logAttempt(
                db, delivery.id, owner: claimant, startedAt: delivery.claimedAt, outcome: resend ? .retry : .unknown,
                error: "recovered by \(owner): \(detail)", report: AttemptReport(), at: now
            )
            recovered.append(try refetch(db, delivery.id))
        }
        return recovered
    }

    static func logAttempt(
        _ db: Database,
        _ id: Delivery.ID,
        owner: OwnerID,
        startedAt: Date?,
        outcome: DeliveryState,
        error: String?,
        report: AttemptReport,
        at now: Date
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO delivery_attempt (delivery_id, owner, started_at, finished_at, outcome, status, error,
                                              response_excerpt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                id.rawValue, owner.rawValue, startedAt.map(StoredTime.millis), StoredTime.millis(now),
                outcome.rawValue, report.status, error, report.responseExcerpt,
            ]
        )
    }

    static func refetch(_ db: Database, _ id: Delivery.ID) throws -> Delivery {
        guard let delivery = try fetch(db, id: id) else {
            throw StoreError(.database, "delivery \(id) vanished during an update")
        }
        return delivery
    }
}
