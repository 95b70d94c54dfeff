import Foundation
import GRDB

/// The `delivery`, `delivery_payload` and `delivery_attempt` tables: the outbox, what each delivery sends, and the attempts log. Like ``RunsTable``, every statement
/// takes a `Database`, so that callers compose them inside one transaction (finishing a run and writing its
/// deliveries, say).
enum DeliveriesTable {
    /// Migration `v2-outbox`.
    @Sendable
    static func createV2(_ db: Database) throws {
        // Times are integer milliseconds (StoredTime). States are not CHECK-constrained, as for runs.
        // The UNIQUE (run_id, destination, recipient, part_index) is also the index the part-ordering rule uses.
        // due_at is set exactly while the delivery is queued (pending or retry); the partial index holds only those.
        try db.execute(
            sql: """
                CREATE TABLE delivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES run (id),
                    job TEXT NOT NULL,
                    logical_time INTEGER NOT NULL,
                    destination TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    part_index INTEGER NOT NULL,
                    part_count INTEGER NOT NULL,
                    delivery_key TEXT NOT NULL UNIQUE,
                    payload BLOB NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    due_at INTEGER,
                    claimed_by TEXT,
                    claimed_at INTEGER,
                    remote_id TEXT,
                    detail TEXT,
                    created_at INTEGER NOT NULL,
                    requeued_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (run_id, destination, recipient, part_index)
                ) STRICT;
                CREATE INDEX delivery_due ON delivery (due_at, id) WHERE state IN ('pending', 'retry');
                CREATE INDEX delivery_sending ON delivery (claimed_by) WHERE state = 'sending';
                CREATE INDEX delivery_state_updated ON delivery (state, updated_at);

                CREATE TABLE delivery_attempt (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    delivery_id INTEGER NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
                    owner TEXT NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    status INTEGER,
                    error TEXT,
                    response_excerpt TEXT
                ) STRICT;
                CREATE INDEX delivery_attempt_delivery ON delivery_attempt (delivery_id, id);
                """
        )
    }

    /// Migration `v5-delivery-payloads`: payloads move out of the delivery rows into a table of their own.
    ///
    /// A delivery's row is rewritten at its claim and at its outcome. With the payload inside (often a kilobyte or
    /// more), every rewrite copied it and a claim of a few dozen rows dirtied several times as many pages, each of
    /// them written to the write-ahead log at the commit; a payload is written once and only read after.
    @Sendable
    static func separatePayloadsV5(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE delivery_payload (
                    delivery_id INTEGER PRIMARY KEY REFERENCES delivery (id) ON DELETE CASCADE,
                    payload BLOB NOT NULL
                ) STRICT;
                INSERT INTO delivery_payload (delivery_id, payload) SELECT id, payload FROM delivery;
                ALTER TABLE delivery DROP COLUMN payload;
                """
        )
    }

    // The payload is read from its own table by a subquery, so that every query (and a claim's RETURNING) stays a
    // query of `delivery` alone, whatever its conditions.
    static let columns = """
        id, run_id, job, logical_time, destination, recipient, part_index, part_count, delivery_key, \
        (SELECT payload FROM delivery_payload WHERE delivery_id = delivery.id), state, \
        attempts, due_at, claimed_by, claimed_at, remote_id, detail, created_at, requeued_at, updated_at
        """

    // A part waits while an earlier part of its thread is neither sent nor dropped.
    static let noEarlierPartPending = """
        NOT EXISTS (
            SELECT 1 FROM delivery AS earlier
            WHERE earlier.run_id = delivery.run_id AND earlier.destination = delivery.destination
              AND earlier.recipient = delivery.recipient AND earlier.part_index < delivery.part_index
              AND earlier.state NOT IN ('sent', 'dropped')
        )
        """

    // MARK: Reading

    // `condition` is the text after WHERE, optionally with ORDER BY and LIMIT; values go in `arguments`.
    // The statements are cached: the dispatcher runs the same few on every send.
    static func fetchOne(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> Delivery? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM delivery WHERE \(condition)")
        return try decodeAll(statement, arguments).first
    }

    static func fetchAll(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Delivery] {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM delivery WHERE \(condition)")
        return try decodeAll(statement, arguments)
    }

    /// Runs `statement` (which yields ``columns``) and decodes every row it yields.
    ///
    /// Each row is decoded straight from the statement as it steps: `Row.fetchAll` would first copy every column of
    /// every row into a row of its own (payloads included), which costs as much again as decoding them (a run's
    /// summary reads 10,000).
    static func decodeAll(_ statement: Statement, _ arguments: StatementArguments) throws -> [Delivery] {
        try Array(Row.fetchCursor(statement, arguments: arguments).map(decode))
    }

    static func fetch(_ db: Database, id: Delivery.ID) throws -> Delivery? {
        try fetchOne(db, where: "id = ?", [id.rawValue])
    }

    static func fetch(_ db: Database, key: DeliveryKey) throws -> Delivery? {
        try fetchOne(db, where: "delivery_key = ?", [key.rawValue])
    }

    static func thread(_ db: Database, of id: Delivery.ID) throws -> [Delivery] {
        guard let delivery = try fetch(db, id: id) else { return [] }
        return try fetchAll(
            db,
            where: "run_id = ? AND destination = ? AND recipient = ? ORDER BY part_index",
            [delivery.runID.rawValue, delivery.destination, delivery.recipient]
        )
    }

    static func hasQueued(_ db: Database, run: Run.ID) throws -> Bool {
        try Bool.fetchOne(
            db,
            // The due index holds only queued deliveries, so this reads none of a run that has ended.
            sql: """
                SELECT EXISTS (SELECT 1 FROM delivery INDEXED BY delivery_due WHERE state IN ('pending', 'retry') AND run_id = ?)
                """,
            arguments: [run.rawValue]
        ) ?? false
    }

    static func counts(_ db: Database) throws -> [DeliveryState: Int] {
        var counts: [DeliveryState: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM delivery GROUP BY state") {
            let name: String = row["state"]
            guard let state = DeliveryState(rawValue: name) else {
                throw StoreError(.corruptData, "deliveries have unknown state '\(name)'")
            }
            counts[state] = row["n"]
        }
        return counts
    }

    static func nextDueTime(_ db: Database, excluding destinations: Set<String>, run: Run.ID? = nil) throws -> Date? {
        let (exclusion, arguments) = excludingCondition(destinations, run: run)
        return try Int64.fetchOne(
            db,
            sql: """
                SELECT due_at FROM delivery INDEXED BY delivery_due
                WHERE state IN ('pending', 'retry') \(exclusion) AND \(noEarlierPartPending)
                ORDER BY due_at LIMIT 1
                """,
            arguments: arguments
        ).map(StoredTime.date)
    }

    static func attempts(_ db: Database, of id: Delivery.ID) throws -> [DeliveryAttempt] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, delivery_id, owner, started_at, finished_at, outcome, status, error, response_excerpt
                FROM delivery_attempt WHERE delivery_id = ? ORDER BY id
                """,
            arguments: [id.rawValue]
        ).map(decodeAttempt)
    }

    // Columns are read by position, in the order of `columns` (every delivery query selects exactly those):
    // reading by name makes GRDB compare names case-insensitively for every column of every row. Nullable columns
    // are tested for NULL and then read as their plain type: reading an `Optional` looks up its generic metadata
    // on every call.
    static func decode(_ row: Row) throws -> Delivery {
        let id: Int64 = row[0]
        let stateName: String = row[10]
        guard let state = DeliveryState(rawValue: stateName) else {
            throw StoreError(.corruptData, "delivery \(id) has unknown state '\(stateName)'")
        }
        guard !row.hasNull(atIndex: 9) else { throw StoreError(.corruptData, "delivery \(id) has no payload") }
        func time(_ index: Int) -> Date? { row.hasNull(atIndex: index) ? nil : StoredTime.date(row[index]) }
        func text(_ index: Int) -> String? { row.hasNull(atIndex: index) ? nil : (row[index] as String) }
        return Delivery(
            id: Delivery.ID(rawValue: id),
            runID: Run.ID(rawValue: row[1]),
            job: row[2],
            logicalTime: StoredTime.date(row[3]),
            destination: row[4],
            recipient: row[5],
            partIndex: row[6],
            partCount: row[7],
            key: DeliveryKey(rawValue: row[8]),
            payload: row[9],
            state: state,
            attempts: row[11],
            dueAt: time(12),
            claimedBy: text(13).map(OwnerID.init(rawValue:)),
            claimedAt: time(14),
            remoteID: text(15),
            lastError: text(16),
            createdAt: StoredTime.date(row[17]),
            requeuedAt: time(18),
            updatedAt: StoredTime.date(row[19])
        )
    }

    static func decodeAttempt(_ row: Row) throws -> DeliveryAttempt {
        let id: Int64 = row["id"]
        let outcomeName: String = row["outcome"]
        guard let outcome = DeliveryState(rawValue: outcomeName) else {
            throw StoreError(.corruptData, "delivery attempt \(id) has unknown outcome '\(outcomeName)'")
        }
        return DeliveryAttempt(
            id: DeliveryAttempt.ID(rawValue: id),
            deliveryID: Delivery.ID(rawValue: row["delivery_id"]),
            owner: OwnerID(rawValue: row["owner"]),
            startedAt: (row["started_at"] as Int64?).map(StoredTime.date),
            finishedAt: StoredTime.date(row["finished_at"]),
            outcome: outcome,
            status: row["status"],
            error: row["error"],
            responseExcerpt: row["response_excerpt"]
        )
    }

    // `AND destination NOT IN (?, …)`, or nothing for an empty set.
    /// The conditions leaving out `destinations` and, when `run` is given, other runs' deliveries.
    static func excludingCondition(_ destinations: Set<String>, run: Run.ID?) -> (String, StatementArguments) {
        var sql = ""
        var arguments = StatementArguments()
        if !destinations.isEmpty {
            let sorted = destinations.sorted()
            let marks = Array(repeating: "?", count: sorted.count).joined(separator: ", ")
            sql += "AND destination NOT IN (\(marks))"
            arguments += StatementArguments(sorted)
        }
        if let run {
            sql += " AND run_id = ?"
            arguments += [run.rawValue]
        }
        return (sql, arguments)
    }
}
