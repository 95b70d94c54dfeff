import Foundation
import GRDB
import Testing

@testable import Store

struct SQLiteFileTests {
    @Test func theDatabaseIsInWALModeWithForeignKeysAndABusyTimeout() async throws {
        try await withStore { store, path in
            let (journal, foreignKeys, busyTimeout, synchronous) = try await store.pool.write { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
                    try Int.fetchOne(db, sql: "PRAGMA busy_timeout"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous")
                )
            }
            #expect(journal == "wal")
            #expect(foreignKeys == true)
            #expect(busyTimeout == 10_000)
            #expect(synchronous == 1)  // NORMAL
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test func logicalTimesAreStoredAsIntegerMillisecondsUTC() async throws {
        try await withStore { store, _ in
            // 1.001 s after t0 is not exact in binary floating point; it must still land on the same millisecond.
            let time = Fixture.t0 + 1.001
            let run = try await store.claimRun(
                job: "j", logicalTime: time, trigger: .schedule, owner: Fixture.alice, at: time
            ).run
            let stored = try await store.pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT logical_time FROM run WHERE id = ?", arguments: [run.id.rawValue])
            }
            #expect(stored == 1_700_000_001_001)
            #expect(try await store.run(job: "j", logicalTime: time)?.id == run.id)
            let again = try await store.claimRun(
                job: "j", logicalTime: Date(timeIntervalSince1970: 1_700_000_001.001), trigger: .schedule,
                owner: Fixture.bob, at: time
            )
            #expect(!again.isClaimed)
        }
    }

    @Test func fullDurabilityIsAppliedToTheWriter() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path, configuration: .init(durability: .full))
            let synchronous = try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2)  // FULL
        }
    }

    @Test func theFileKeepsItsRunsAcrossReopening() async throws {
        try await withStorePath { path in
            let first = try SQLiteStore(path: path)
            let run = try await first.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .manual, owner: Fixture.alice, at: Fixture.t0
            ).run
            let finished = try await first.finishRun(
                run.id, owner: Fixture.alice, outcome: .succeeded(snapshotHash: "s", digestHash: "d"),
                at: Fixture.t0 + 1
            )
            try first.close()

            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.run(run.id) == finished)
            #expect(try await reopened.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0 + 2
            ) == .alreadyRecorded(finished))
        }
    }

    @Test func theStoreCreatesItsFolder() async throws {
        try await withStorePath { path in
            let nested = URL(fileURLWithPath: path).deletingLastPathComponent()
                .appendingPathComponent("var/state/herald.sqlite").path
            _ = try SQLiteStore(path: nested)
            #expect(FileManager.default.fileExists(atPath: nested))
        }
    }

    @Test func aPathThatCannotHoldAFileIsReported() async throws {
        try await withStorePath { path in
            try Data().write(to: URL(fileURLWithPath: path))  // a file where the folder should be
            #expect {
                _ = try SQLiteStore(path: path + "/state.sqlite")
            } throws: { error in
                (error as? StoreError)?.code == .cannotOpen
            }
        }
    }

    @Test func manyStoresOpeningANewFileAtOnceMigrateItOnce() async throws {
        for _ in 0..<5 {
            try await withStorePath { path in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 {
                        group.addTask { _ = try SQLiteStore(path: path) }
                    }
                    try await group.waitForAll()
                }
                let store = try SQLiteStore(path: path)
                let applied = try await store.pool.read {
                    try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                }
                #expect(applied == Schema.steps.map(\.identifier))
            }
        }
    }

    @Test func aFileMigratedByANewerHeraldIsRefused() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            try await store.pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
            try store.close()
            #expect {
                _ = try SQLiteStore(path: path)
            } throws: { error in
                (error as? StoreError)?.code == .schemaTooNew
            }
        }
    }

    @Test func anUnknownStateIsReportedNotGuessed() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            try await store.pool.write { try $0.execute(sql: "UPDATE run SET state = 'paused'") }
            let code = await storeErrorCode { _ = try await store.run(run.id) }
            #expect(code == .corruptData)
        }
    }
}
