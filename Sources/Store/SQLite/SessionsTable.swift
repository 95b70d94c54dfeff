import Foundation
import GRDB

/// The `channel_session` table: each destination's login (Bluesky), as the channel sealed it. The store never
/// sees the tokens: the channel encrypts them with a key derived from the credentials in the configuration.
enum SessionsTable {
    /// Migration `v4-channel-sessions`.
    @Sendable
    static func createV4(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE channel_session (
                    destination TEXT NOT NULL PRIMARY KEY,
                    sealed BLOB NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT, WITHOUT ROWID;
                """
        )
    }

    static func fetch(_ db: Database, destination: String) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT sealed FROM channel_session WHERE destination = ?", arguments: [destination])
    }

    static func save(_ db: Database, sealed: Data?, destination: String, at now: Date) throws {
        guard let sealed else {
            try db.execute(sql: "DELETE FROM channel_session WHERE destination = ?", arguments: [destination])
            return
        }
        try db.execute(
            sql: """
                INSERT INTO channel_session (destination, sealed, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (destination) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at
                """,
            arguments: [destination, sealed, StoredTime.millis(now)]
        )
    }
}
