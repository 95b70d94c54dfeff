import GRDB

/// The database schema, as an ordered, append-only list of migrations.
///
/// A released migration is never edited, renamed or reordered: every file in the field records the identifiers it
/// has applied, and GRDB applies only the missing ones, in this order. Change the schema by appending a step.
///
/// Each step's table code sits beside it in this folder (``RunsTable``, ``DeliveriesTable``,
/// ``RateLimitsTable``, ``SessionsTable``); the helpers take a `Database`, so a run update and an outbox write share one
/// transaction.
enum Schema {
    struct Step: Sendable {
        let identifier: String
        let migrate: @Sendable (Database) throws -> Void
    }

    static let steps: [Step] = [
        Step(identifier: "v1-runs", migrate: RunsTable.createV1),
        Step(identifier: "v2-outbox", migrate: DeliveriesTable.createV2),
        Step(identifier: "v3-rate-limits", migrate: RateLimitsTable.createV3),
        Step(identifier: "v4-channel-sessions", migrate: SessionsTable.createV4),
        Step(identifier: "v5-delivery-payloads", migrate: DeliveriesTable.separatePayloadsV5),
        // Append new steps here; never edit the ones above.
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.identifier, migrate: step.migrate)
        }
        return migrator
    }

    /// Brings the file at `path` up to this build's schema.
    ///
    /// Two processes opening a new file at once can both decide a step is missing (GRDB reads the applied list
    /// before taking the write lock); the loser's step then fails on the winner's tables. So a failed migration
    /// that leaves the file fully migrated counts as success, and anything short of that is retried.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = self.migrator
        try refuseNewerSchema(pool, migrator: migrator, path: path)
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if try pool.read(migrator.hasCompletedMigrations) { return }
                if attempt >= 5 { throw error }
            }
        }
    }

    // An older build writing to a schema it does not know could break rules the newer one relies on.
    private static func refuseNewerSchema(_ pool: DatabasePool, migrator: DatabaseMigrator, path: String) throws {
        let unknown: Set<String> = try pool.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try migrator.appliedIdentifiers(db).subtracting(steps.map(\.identifier))
        }
        guard unknown.isEmpty else {
            let steps = unknown.sorted().joined(separator: ", ")
            throw StoreError(
                .schemaTooNew,
                "the state store \(path) was migrated by a newer Herald (unknown steps: \(steps)); "
                    + "upgrade Herald or use another file"
            )
        }
    }
}
