import Foundation
import GRDB

/// The `rate_limit` table: what services said about their rate limits, per destination and bucket.
enum RateLimitsTable {
    /// Migration `v3-rate-limits`.
    @Sendable
    static func createV3(_ db: Database) throws {
        // `limit` is an SQL keyword, hence `limit_count`.
        try db.execute(
            sql: """
                CREATE TABLE rate_limit (
                    destination TEXT NOT NULL,
                    bucket TEXT NOT NULL,
                    blocked_until INTEGER,
                    remaining INTEGER,
                    limit_count INTEGER,
                    reset_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (destination, bucket)
                ) STRICT, WITHOUT ROWID;
                """
        )
    }

    static func fetchAll(_ db: Database, destination: String?) throws -> [RateLimitState] {
        let columns = "destination, bucket, blocked_until, remaining, limit_count, reset_at, updated_at"
        let rows: [Row]
        if let destination {
            rows = try Row.fetchAll(
                db,
                sql: "SELECT \(columns) FROM rate_limit WHERE destination = ? ORDER BY bucket",
                arguments: [destination]
            )
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM rate_limit ORDER BY destination, bucket")
        }
        return rows.map { row in
            RateLimitState(
                destination: row["destination"],
                bucket: row["bucket"],
                blockedUntil: (row["blocked_until"] as Int64?).map(StoredTime.date),
                remaining: row["remaining"],
                limit: row["limit_count"],
                resetAt: (row["reset_at"] as Int64?).map(StoredTime.date),
                updatedAt: StoredTime.date(row["updated_at"])
            )
        }
    }

    static func upsert(_ db: Database, _ state: RateLimitState) throws {
        try db.execute(
            sql: """
                INSERT INTO rate_limit (destination, bucket, blocked_until, remaining, limit_count, reset_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (destination, bucket) DO UPDATE SET
                    blocked_until = excluded.blocked_until, remaining = excluded.remaining,
                    limit_count = excluded.limit_count, reset_at = excluded.reset_at, updated_at = excluded.updated_at
                """,
            arguments: [
                state.destination, state.bucket, state.blockedUntil.map(StoredTime.millis), state.remaining,
                state.limit, state.resetAt.map(StoredTime.millis), StoredTime.millis(state.updatedAt),
            ]
        )
    }

    static func delete(_ db: Database, destination: String, bucket: String) throws {
        try db.execute(
            sql: "DELETE FROM rate_limit WHERE destination = ? AND bucket = ?",
            arguments: [destination, bucket]
        )
    }

    static func deleteExpired(_ db: Database, at now: Date) throws -> Int {
        let nowMillis = StoredTime.millis(now)
        try db.execute(
            sql: """
                DELETE FROM rate_limit
                WHERE (blocked_until IS NULL OR blocked_until <= ?) AND (reset_at IS NULL OR reset_at <= ?)
                """,
            arguments: [nowMillis, nowMillis]
        )
        return db.changesCount
    }
}
