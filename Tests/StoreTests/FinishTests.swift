import Foundation
import Testing

@testable import Store

struct FinishTests {
    @Test func theOwnerRecordsTheOutcomeAndProvenance() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let finished = try await store.finishRun(
                run.id, owner: Fixture.alice,
                outcome: .succeeded(snapshotHash: "sha256:snap", digestHash: "sha256:dig", detail: "3 deliveries"),
                at: Fixture.t0 + 2
            )
            #expect(finished.state == .succeeded)
            #expect(finished.snapshotHash == "sha256:snap")
            #expect(finished.digestHash == "sha256:dig")
            #expect(finished.detail == "3 deliveries")
            #expect(finished.finishedAt == Fixture.t0 + 2)
            #expect(finished.attempts == 1)
            #expect(try await store.run(run.id) == finished)
        }
    }

    @Test func aFailureKeepsItsError() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let finished = try await store.finishRun(
                run.id, owner: Fixture.alice, outcome: .failed("plugin exited with signal 11"), at: Fixture.t0 + 1
            )
            #expect(finished.state == .failed)
            #expect(finished.detail == "plugin exited with signal 11")
        }
    }

    @Test func anotherOwnerCannotFinishTheRun() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let code = await storeErrorCode {
                _ = try await store.finishRun(run.id, owner: Fixture.bob, outcome: .succeeded(), at: Fixture.t0 + 1)
            }
            #expect(code == .notOwner)
            #expect(try await store.run(run.id) == run)
        }
    }

    @Test func aStaleOwnerCannotFinishARunAnotherInstanceReclaimed() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            // Alice went silent for longer than the lease; Bob takes over, then Alice wakes up.
            let reclaimed = try await store.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 120, policy: Fixture.policy()
            )
            #expect(reclaimed.map(\.run.id) == [run.id])
            let code = await storeErrorCode {
                _ = try await store.finishRun(run.id, owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0 + 121)
            }
            #expect(code == .notOwner)
            let finished = try await store.finishRun(
                run.id, owner: Fixture.bob, outcome: .empty(), at: Fixture.t0 + 122
            )
            #expect(finished.state == .empty)
            #expect(finished.owner == Fixture.bob)
            #expect(finished.attempts == 2)
        }
    }

    @Test func aRunIsFinishedOnlyOnce() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            _ = try await store.finishRun(run.id, owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0 + 1)
            let code = await storeErrorCode {
                _ = try await store.finishRun(
                    run.id, owner: Fixture.alice, outcome: .failed("again"), at: Fixture.t0 + 2
                )
            }
            #expect(code == .notRunning)
            #expect(try await store.run(run.id)?.state == .succeeded)
        }
    }

    @Test func aSkipCannotBeFinished() async throws {
        try await withStore { store, _ in
            let skip = try await store.recordSkip(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, reason: "overlap", owner: Fixture.alice,
                at: Fixture.t0
            ).run
            let code = await storeErrorCode {
                _ = try await store.finishRun(skip.id, owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0)
            }
            #expect(code == .notRunning)
        }
    }

    @Test func anUnknownRunIsReported() async throws {
        try await withStore { store, _ in
            let code = await storeErrorCode {
                _ = try await store.finishRun(
                    Run.ID(rawValue: 42), owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0
                )
            }
            #expect(code == .runNotFound)
        }
    }
}
