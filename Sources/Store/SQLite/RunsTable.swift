import Foundation
import GRDB

/// The `run` table: its schema and the statements over it, each taking a `Database` so that callers compose them
/// inside one transaction.
enum RunsTable {
    /// Migration `v1-runs`.
    @Sendable
    static func createV1(_ db: Database) throws {
        // STRICT makes SQLite reject a value of the wrong type instead of storing it.
        // AUTOINCREMENT keeps ids from being reused if old runs are ever pruned: run ids leave the store in webhooks.
        // States are not CHECK-constrained so that adding one needs no table rebuild; decoding rejects unknown ones.
        try db.execute(
            sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job TEXT NOT NULL,
                    logical_time INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    owner TEXT NOT NULL,
                    heartbeat_at INTEGER,
                    started_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    detail TEXT,
                    snapshot_hash TEXT,
                    digest_hash TEXT,
                    UNIQUE (job, logical_time)
                ) STRICT;
                CREATE INDEX run_unfinished ON run (owner) WHERE state IN ('running', 'interrupted');
                CREATE INDEX run_started ON run (started_at);
                """
        )
    }

    private static let columns = """
        id, job, logical_time, state, trigger, attempts, owner, heartbeat_at, started_at, finished_at, detail, \
        snapshot_hash, digest_hash
        """

    // MARK: Reading

    // `condition` is the text after WHERE, optionally with ORDER BY and LIMIT; values go in `arguments`.
    static func fetchOne(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> Run? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM run WHERE \(condition)", arguments: arguments)
            .map(decode)
    }

    static func fetchAll(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Run] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM run WHERE \(condition)", arguments: arguments)
            .map(decode)
    }

    static func fetch(_ db: Database, id: Run.ID) throws -> Run? {
        try fetchOne(db, where: "id = ?", [id.rawValue])
    }

    static func fetch(_ db: Database, job: String, logicalTime: Date) throws -> Run? {
        try fetchOne(db, where: "job = ? AND logical_time = ?", [job, StoredTime.millis(logicalTime)])
    }

    private static func decode(_ row: Row) throws -> Run {
        let id: Int64 = row["id"]
        let stateName: String = row["state"]
        let triggerName: String = row["trigger"]
        guard let state = RunState(rawValue: stateName) else {
            throw StoreError(.corruptData, "run \(id) has unknown state '\(stateName)'")
        }
        guard let trigger = RunTrigger(rawValue: triggerName) else {
            throw StoreError(.corruptData, "run \(id) has unknown trigger '\(triggerName)'")
        }
        return Run(
            id: Run.ID(rawValue: id),
            job: row["job"],
            logicalTime: StoredTime.date(row["logical_time"]),
            state: state,
            trigger: trigger,
            attempts: row["attempts"],
            owner: OwnerID(rawValue: row["owner"]),
            heartbeatAt: (row["heartbeat_at"] as Int64?).map(StoredTime.date),
            startedAt: StoredTime.date(row["started_at"]),
            finishedAt: (row["finished_at"] as Int64?).map(StoredTime.date),
            detail: row["detail"],
            snapshotHash: row["snapshot_hash"],
            digestHash: row["digest_hash"]
        )
    }

    // MARK: Writing

    /// Inserts a run unless (job, logical time) is taken; the unique constraint is the at-most-once gate.
    static func insert(
        _ db: Database,
        job: String,
        logicalTime: Date,
        state: RunState,
        trigger: RunTrigger,
        attempts: Int,
        owner: OwnerID,
        detail: String?,
        at now: Date
    ) throws -> RunClaim {
        let nowMillis = StoredTime.millis(now)
        let isRunning = state == .running
        try db.execute(
            sql: """
                INSERT INTO run (job, logical_time, state, trigger, attempts, owner, heartbeat_at, started_at,
                                 finished_at, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job, logical_time) DO NOTHING
                """,
            arguments: [
                job, StoredTime.millis(logicalTime), state.rawValue, trigger.rawValue, attempts, owner.rawValue,
                isRunning ? nowMillis : nil, nowMillis, isRunning ? nil : nowMillis, detail,
            ]
        )
        let inserted = db.changesCount > 0
        guard let run = try fetch(db, job: job, logicalTime: logicalTime) else {
            throw StoreError(.database, "run \(job) at \(logicalTime) vanished after its insert")
        }
        return inserted ? .claimed(run) : .alreadyRecorded(run)
    }

    static func finish(_ db: Database, id: Run.ID, owner: OwnerID, outcome: RunOutcome, at now: Date) throws -> Run {
        guard let current = try fetch(db, id: id) else {
            throw StoreError(.runNotFound, "finishing run \(id)")
        }
        let what = "finishing run \(id) (\(current.job) at \(current.logicalTime))"
        guard current.owner == owner else {
            throw StoreError(.notOwner, "\(what) as \(owner): it is owned by \(current.owner)")
        }
        guard current.state.isUnfinished else {
            throw StoreError(.notRunning, "\(what): it is already \(current.state.rawValue)")
        }
        try db.execute(
            sql: """
                UPDATE run SET state = ?, detail = ?, snapshot_hash = ?, digest_hash = ?, finished_at = ?
                WHERE id = ? AND owner = ?
                """,
            arguments: [
                outcome.state.rawValue, outcome.detail, outcome.snapshotHash, outcome.digestHash,
                StoredTime.millis(now), id.rawValue, owner.rawValue,
            ]
        )
        return try refetch(db, id)
    }

    static func heartbeat(_ db: Database, owner: OwnerID, at now: Date) throws -> [Run.ID] {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM run WHERE owner = ? AND state = 'running' ORDER BY id",
            arguments: [owner.rawValue]
        )
        try db.execute(
            sql: "UPDATE run SET heartbeat_at = ? WHERE owner = ? AND state = 'running'",
            arguments: [StoredTime.millis(now), owner.rawValue]
        )
        return ids.map(Run.ID.init(rawValue:))
    }

    static func reclaimAbandoned(
        _ db: Database,
        owner: OwnerID,
        at now: Date,
        policy: ReclaimPolicy
    ) throws -> [ReclaimedRun] {
        let nowMillis = StoredTime.millis(now)
        let staleBefore = nowMillis - StoredTime.millis(policy.leaseDuration)
        let candidates = try fetchAll(
            db,
            where: "state = 'running' AND owner <> ? ORDER BY job, logical_time",
            [owner.rawValue]
        )
        var reclaimed: [ReclaimedRun] = []
        var liveness: [OwnerID: Bool] = [:]  // one probe per owner, however many runs it holds
        for run in candidates {
            let reason: ReclaimedRun.Reason
            // A run never heartbeated counts from its start.
            let lastSign = run.heartbeatAt ?? run.startedAt
            let isAlive = liveness[run.owner] ?? policy.isOwnerAlive(run.owner)
            liveness[run.owner] = isAlive
            if !isAlive {
                reason = .ownerNotAlive
            } else if StoredTime.millis(lastSign) < staleBefore {
                reason = .leaseExpired(lastHeartbeat: run.heartbeatAt)
            } else {
                continue
            }
            // The transaction already serialises reclaimers; the guard on the previous owner keeps the update
            // correct on its own, as it must be in a store without that serialisation.
            try db.execute(
                sql: """
                    UPDATE run SET owner = ?, attempts = attempts + 1, heartbeat_at = ?
                    WHERE id = ? AND state = 'running' AND owner = ?
                    """,
                arguments: [owner.rawValue, nowMillis, run.id.rawValue, run.owner.rawValue]
            )
            guard db.changesCount == 1 else { continue }
            reclaimed.append(ReclaimedRun(run: try refetch(db, run.id), previousOwner: run.owner, reason: reason))
        }
        return reclaimed
    }

    static func interrupt(_ db: Database, owner: OwnerID, reason: String, at now: Date) throws -> [Run] {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM run WHERE owner = ? AND state = 'running' ORDER BY id",
            arguments: [owner.rawValue]
        )
        try db.execute(
            sql: """
                UPDATE run SET state = 'interrupted', detail = ?, finished_at = ?
                WHERE owner = ? AND state = 'running'
                """,
            arguments: [reason, StoredTime.millis(now), owner.rawValue]
        )
        return try ids.map { try refetch(db, Run.ID(rawValue: $0)) }
    }

    static func resumeInterrupted(_ db: Database, id: Run.ID, owner: OwnerID, at now: Date) throws -> Run? {
        try db.execute(
            sql: """
                UPDATE run SET state = 'running', owner = ?, attempts = attempts + 1, heartbeat_at = ?,
                               finished_at = NULL, detail = NULL
                WHERE id = ? AND state = 'interrupted'
                """,
            arguments: [owner.rawValue, StoredTime.millis(now), id.rawValue]
        )
        guard db.changesCount == 1 else { return nil }
        return try refetch(db, id)
    }

    private static func refetch(_ db: Database, _ id: Run.ID) throws -> Run {
        guard let run = try fetch(db, id: id) else {
            throw StoreError(.database, "run \(id) vanished during an update")
        }
        return run
    }
}
