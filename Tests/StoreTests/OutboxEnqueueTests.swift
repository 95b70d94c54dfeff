import Foundation
import GRDB
import Testing

@testable import Store

struct OutboxEnqueueTests {
    @Test func enqueueWritesPendingDeliveriesKeyedByTheRun() async throws {
        try await withStore { store, _ in
            let run = try await OutboxFixture.run(store, job: "funding-summary")
            let result = try await store.enqueue(
                [OutboxFixture.new("slack"), OutboxFixture.new("email", recipient: "a@example.org")],
                run: run.id, at: Fixture.t0 + 5
            )
            #expect(result.existing.isEmpty)
            #expect(result.inserted.count == 2)
            let slack = try #require(result.inserted.first)
            #expect(slack.runID == run.id)
            #expect(slack.job == "funding-summary")
            #expect(slack.logicalTime == run.logicalTime)
            #expect(slack.state == .pending)
            #expect(slack.attempts == 0)
            #expect(slack.dueAt == Fixture.t0 + 5)
            #expect(slack.createdAt == Fixture.t0 + 5)
            #expect(slack.payload == Data("slack//0".utf8))
            #expect(
                slack.key
                    == DeliveryKey.derive(
                        job: "funding-summary", logicalTime: run.logicalTime, destination: "slack", recipient: "",
                        part: 0
                    )
            )
            #expect(result.inserted[1].recipient == "a@example.org")
            #expect(try await store.delivery(slack.id) == slack)
            #expect(try await store.delivery(key: slack.key) == slack)
        }
    }

    @Test func enqueueingTheSameKeysAgainWritesNothing() async throws {
        try await withStore { store, _ in
            let run = try await OutboxFixture.run(store)
            let deliveries = (0..<3).map { OutboxFixture.new("mastodon", part: $0, of: 3) }
            let first = try await store.enqueue(deliveries, run: run.id, at: Fixture.t0)
            // The first part has been sent meanwhile; a second enqueue, with other payloads, must not touch it.
            _ = try await store.claim(limit: 1)
            try await store.markSent(
                first.inserted[0].id, owner: Fixture.alice, remoteID: "109", report: AttemptReport(status: 200),
                at: Fixture.t0 + 1
            )
            let changed = (0..<3).map { OutboxFixture.new("mastodon", part: $0, of: 3, payload: "other") }
            let second = try await store.enqueue(changed + changed, run: run.id, at: Fixture.t0 + 2)

            #expect(second.inserted.isEmpty)
            #expect(second.existing.map(\.id) == (first.inserted + first.inserted).map(\.id))
            let stored = try await store.deliveries(run: run.id)
            #expect(stored.count == 3)
            #expect(stored.map(\.payload) == deliveries.map(\.payload))
            #expect(stored.map(\.state) == [.sent, .pending, .pending])
            #expect(stored[0].remoteID == "109")
            #expect(try await store.deliveryCounts() == [.sent: 1, .pending: 2])
        }
    }

    @Test func duplicatesWithinOneListAreWrittenOnce() async throws {
        try await withStore { store, _ in
            let run = try await OutboxFixture.run(store)
            let result = try await store.enqueue(
                [OutboxFixture.new("d", payload: "first"), OutboxFixture.new("d", payload: "second")],
                run: run.id, at: Fixture.t0
            )
            #expect(result.inserted.count == 1)
            #expect(result.existing.map(\.id) == result.inserted.map(\.id))
            #expect(try await store.deliveries(run: run.id).map(\.payload) == [Data("first".utf8)])
        }
    }

    @Test func payloadsRoundTripByteForByte() async throws {
        try await withStore { store, _ in
            let bytes = Data((0...255).map(UInt8.init) + [0, 0])
            let written = try await OutboxFixture.enqueue(
                store,
                [
                    NewDelivery(destination: "binary", payload: bytes),
                    NewDelivery(destination: "empty", payload: Data()),
                ]
            )
            #expect(try await store.delivery(written[0].id)?.payload == bytes)
            #expect(try await store.delivery(written[1].id)?.payload == Data())
        }
    }

    @Test func enqueueForAnUnknownRunIsReported() async throws {
        try await withStore { store, _ in
            let code = await storeErrorCode {
                _ = try await store.enqueue([OutboxFixture.new("d")], run: Run.ID(rawValue: 99), at: Fixture.t0)
            }
            #expect(code == .runNotFound)
        }
    }

    @Test func finishingARunWritesItsDeliveriesWithIt() async throws {
        try await withStore { store, _ in
            let run = try await OutboxFixture.run(store)
            let finished = try await store.finishRun(
                run.id, owner: Fixture.alice, outcome: .succeeded(detail: "2 deliveries"),
                enqueuing: [OutboxFixture.new("a"), OutboxFixture.new("b")], at: Fixture.t0 + 3
            )
            #expect(finished.run.state == .succeeded)
            #expect(finished.enqueued.inserted.map(\.destination) == ["a", "b"])
            #expect(try await store.run(run.id) == finished.run)
            #expect(try await store.deliveries(run: run.id) == finished.enqueued.inserted)
        }
    }

    @Test func aRefusedFinishWritesNoDeliveries() async throws {
        try await withStore { store, _ in
            let run = try await OutboxFixture.run(store)
            let code = await storeErrorCode {
                _ = try await store.finishRun(
                    run.id, owner: Fixture.bob, outcome: .succeeded(), enqueuing: [OutboxFixture.new("a")],
                    at: Fixture.t0 + 1
                )
            }
            #expect(code == .notOwner)
            #expect(try await store.deliveries(run: run.id).isEmpty)
            #expect(try await store.run(run.id)?.state == .running)
        }
    }

    @Test func aFailedEnqueueLeavesTheRunUnfinished() async throws {
        try await withStore { store, _ in
            // A trigger makes the second delivery's insert fail, after the run's update and the first insert.
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON delivery WHEN NEW.destination = 'boom'
                        BEGIN SELECT RAISE(ABORT, 'disk full, say'); END;
                        """
                )
            }
            let run = try await OutboxFixture.run(store)
            let code = await storeErrorCode {
                _ = try await store.finishRun(
                    run.id, owner: Fixture.alice, outcome: .succeeded(),
                    enqueuing: [OutboxFixture.new("fine"), OutboxFixture.new("boom")], at: Fixture.t0 + 1
                )
            }
            #expect(code == .database)
            #expect(try await store.run(run.id)?.state == .running)
            #expect(try await store.deliveries(run: run.id).isEmpty)
            // Nothing was lost: the owner can finish it once the cause is gone.
            try await store.pool.write { try $0.execute(sql: "DROP TRIGGER refuse_boom") }
            let finished = try await store.finishRun(
                run.id, owner: Fixture.alice, outcome: .succeeded(),
                enqueuing: [OutboxFixture.new("fine"), OutboxFixture.new("boom")], at: Fixture.t0 + 2
            )
            #expect(finished.enqueued.inserted.count == 2)
        }
    }

    @Test func aRerunAfterAReclaimDoesNotDuplicate() async throws {
        try await withStore { store, _ in
            // Alice wrote the deliveries, then died before finishing the run; Bob reclaims and runs it again.
            let run = try await OutboxFixture.run(store)
            let deliveries = [OutboxFixture.new("a"), OutboxFixture.new("b", recipient: "x")]
            let first = try await store.enqueue(deliveries, run: run.id, at: Fixture.t0 + 1)
            let reclaimed = try await store.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 2, policy: Fixture.policy(dead: [Fixture.alice])
            )
            #expect(reclaimed.map(\.run.id) == [run.id])
            let finished = try await store.finishRun(
                run.id, owner: Fixture.bob, outcome: .succeeded(), enqueuing: deliveries, at: Fixture.t0 + 3
            )
            #expect(finished.enqueued.inserted.isEmpty)
            #expect(finished.enqueued.existing == first.inserted)
            #expect(try await store.deliveries(run: run.id).count == 2)
        }
    }

    @Test func anOlderStoreIsMigratedWithItsRunsKept() async throws {
        try await withStorePath { path in
            // A file as the first release left it: only the runs step applied.
            do {
                let pool = try DatabasePool(path: path)
                var migrator = DatabaseMigrator()
                migrator.registerMigration(Schema.steps[0].identifier, migrate: Schema.steps[0].migrate)
                try migrator.migrate(pool)
                try await pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO run (job, logical_time, state, trigger, attempts, owner, started_at)
                            VALUES ('old', 0, 'succeeded', 'schedule', 1, 'h:1:1', 0)
                            """
                    )
                }
                try pool.close()
            }
            let store = try SQLiteStore(path: path)
            let run = try #require(try await store.lastRun(job: "old"))
            let result = try await store.enqueue([OutboxFixture.new("d")], run: run.id, at: Fixture.t0)
            #expect(result.inserted.count == 1)
        }
    }

    @Test func payloadsWrittenBeforeTheyMovedToTheirOwnTableAreKept() async throws {
        try await withStorePath { path in
            // A file as v4 left it: payloads inside the delivery rows.
            let payload = Data("{\"text\":\"written by v4\"}".utf8)
            do {
                let pool = try DatabasePool(path: path)
                var migrator = DatabaseMigrator()
                for step in Schema.steps.prefix(4) { migrator.registerMigration(step.identifier, migrate: step.migrate) }
                try migrator.migrate(pool)
                try await pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO run (job, logical_time, state, trigger, attempts, owner, started_at)
                            VALUES ('old', 0, 'succeeded', 'schedule', 1, 'h:1:1', 0);
                            INSERT INTO delivery (run_id, job, logical_time, destination, recipient, part_index, part_count,
                                                  delivery_key, payload, state, attempts, due_at, created_at, updated_at)
                            VALUES (1, 'old', 0, 'hooks', '', 0, 1, 'k1', ?, 'pending', 0, 0, 0, 0);
                            """,
                        arguments: [payload]
                    )
                }
                try pool.close()
            }
            let store = try SQLiteStore(path: path)
            let claimed = try await store.claim()
            #expect(claimed.map(\.payload) == [payload])
            #expect(try await store.delivery(key: DeliveryKey(rawValue: "k1"))?.payload == payload)
            // New deliveries keep theirs too.
            let run = try #require(try await store.lastRun(job: "old"))
            let written = try await store.enqueue([OutboxFixture.new("d", payload: "new")], run: run.id, at: Fixture.t0)
            #expect(written.inserted.map(\.payload) == [Data("new".utf8)])
        }
    }
}
