import Foundation
import Testing

@testable import Store

struct QueryTests {
    /// Runs `job` at t0 + `minute` minutes and finishes it with `outcome` (nil leaves it running).
    private func record(
        _ store: SQLiteStore,
        _ job: String,
        minute: Double,
        _ outcome: RunOutcome?
    ) async throws -> Run {
        let time = Fixture.t0 + Fixture.minutes(minute)
        let run = try await store.claimRun(
            job: job, logicalTime: time, trigger: .schedule, owner: Fixture.alice, at: time
        ).run
        guard let outcome else { return run }
        return try await store.finishRun(run.id, owner: Fixture.alice, outcome: outcome, at: time + 1)
    }

    @Test func theLastSuccessfulRunIgnoresFailuresSkipsAndRunningRuns() async throws {
        try await withStore { store, _ in
            let succeeded = try await record(store, "j", minute: 0, .succeeded(digestHash: "d0"))
            let empty = try await record(store, "j", minute: 1, .empty())
            _ = try await record(store, "j", minute: 2, .failed("boom"))
            _ = try await store.recordSkip(
                job: "j", logicalTime: Fixture.t0 + Fixture.minutes(3), trigger: .schedule, reason: "overlap",
                owner: Fixture.alice, at: Fixture.t0
            )
            _ = try await record(store, "j", minute: 4, nil)
            _ = try await record(store, "other", minute: 5, .succeeded())

            #expect(try await store.lastSuccessfulRun(job: "j", before: nil) == empty)
            #expect(try await store.lastSuccessfulRun(job: "j", before: empty.logicalTime) == succeeded)
            #expect(try await store.lastSuccessfulRun(job: "j", before: succeeded.logicalTime) == nil)
            #expect(try await store.lastSuccessfulRun(job: "nobody", before: nil) == nil)
        }
    }

    @Test func theCursorIsTheLatestLogicalTimeInAnyState() async throws {
        try await withStore { store, _ in
            #expect(try await store.latestLogicalTime(job: "j") == nil)
            _ = try await record(store, "j", minute: 10, .succeeded())
            // Catch-up may record an older time after a newer one; the cursor stays at the newest.
            _ = try await record(store, "j", minute: 5, .failed("x"))
            #expect(try await store.latestLogicalTime(job: "j") == Fixture.t0 + Fixture.minutes(10))
            _ = try await store.recordSkip(
                job: "j", logicalTime: Fixture.t0 + Fixture.minutes(20), trigger: .catchUp, reason: "catch_up: skip",
                owner: Fixture.alice, at: Fixture.t0
            )
            #expect(try await store.latestLogicalTime(job: "j") == Fixture.t0 + Fixture.minutes(20))
            #expect(try await store.latestLogicalTime(job: "J") == nil)
            // A manual trigger of a later logical time is outside the schedule: the cursor does not move.
            _ = try await store.claimRun(job: "j", logicalTime: Fixture.t0 + Fixture.minutes(90), trigger: .manual,
                                         owner: Fixture.alice, at: Fixture.t0)
            #expect(try await store.latestLogicalTime(job: "j") == Fixture.t0 + Fixture.minutes(20))
        }
    }

    @Test func theLastRunIsTheLatestLogicalTime() async throws {
        try await withStore { store, _ in
            #expect(try await store.lastRun(job: "j") == nil)
            let latest = try await record(store, "j", minute: 10, .failed("x"))
            _ = try await record(store, "j", minute: 5, .succeeded())
            #expect(try await store.lastRun(job: "j") == latest)
        }
    }

    @Test func recentRunsAreNewestFirstAndLimited() async throws {
        try await withStore { store, _ in
            var runs: [Run] = []
            for minute in 0..<5 {
                let job = minute.isMultiple(of: 2) ? "even" : "odd"
                runs.append(try await record(store, job, minute: Double(minute), .succeeded()))
            }
            #expect(try await store.recentRuns(job: nil, limit: 3).map(\.id) == runs.reversed().prefix(3).map(\.id))
            #expect(try await store.recentRuns(job: "odd", limit: 10).map(\.id) == [runs[3].id, runs[1].id])
            #expect(try await store.recentRuns(job: nil, limit: 0).isEmpty)
        }
    }

    @Test func unfinishedRunsAreRunningOrInterrupted() async throws {
        try await withStore { store, _ in
            let running = try await record(store, "b", minute: 0, nil)
            _ = try await record(store, "a", minute: 0, .succeeded())
            let interrupted = try await record(store, "a", minute: 1, .interrupted("deadline"))
            #expect(try await store.unfinishedRuns().map(\.id) == [interrupted.id, running.id])
        }
    }
}
