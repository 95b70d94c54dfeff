import Foundation
import Testing

@testable import Store

struct ReclaimTests {
    @Test func aDeadOwnersRunIsReclaimedOnceWithASecondAttempt() async throws {
        try await withStorePath { path in
            let crashed = try SQLiteStore(path: path)
            let run = try await crashed.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            try crashed.close()  // alice's process is gone (as far as the store can tell, it was killed)

            let policy = Fixture.policy(dead: [Fixture.alice])
            let bobStore = try SQLiteStore(path: path)
            let carolStore = try SQLiteStore(path: path)
            // Seconds later, well within the lease: death of the owner is enough.
            let reclaimed = try await bobStore.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 5, policy: policy
            )
            let taken = try #require(reclaimed.first)
            #expect(reclaimed.count == 1)
            #expect(taken.previousOwner == Fixture.alice)
            #expect(taken.reason == .ownerNotAlive)
            #expect(taken.run.id == run.id)
            #expect(taken.run.state == .running)
            #expect(taken.run.owner == Fixture.bob)
            #expect(taken.run.attempts == 2)
            #expect(taken.run.heartbeatAt == Fixture.t0 + 5)
            #expect(taken.run.startedAt == run.startedAt)

            let again = try await carolStore.reclaimAbandonedRuns(
                owner: Fixture.carol, at: Fixture.t0 + 6, policy: policy
            )
            #expect(again.isEmpty)
            #expect(try await carolStore.run(run.id)?.owner == Fixture.bob)
        }
    }

    @Test func concurrentReclaimersShareNoRun() async throws {
        try await withStorePath { path in
            let seed = try SQLiteStore(path: path)
            for minute in 0..<20 {
                _ = try await seed.claimRun(
                    job: "j", logicalTime: Fixture.t0 + Fixture.minutes(Double(minute)), trigger: .catchUp,
                    owner: Fixture.alice, at: Fixture.t0
                )
            }
            let policy = Fixture.policy(dead: [Fixture.alice])
            let reclaimers = try (0..<8).map { i in
                (try SQLiteStore(path: path), OwnerID(hostname: "r", pid: Int32(i), startNanos: 9))
            }
            let results = try await withThrowingTaskGroup(of: [ReclaimedRun].self) { group in
                for (store, owner) in reclaimers {
                    group.addTask {
                        try await store.reclaimAbandonedRuns(owner: owner, at: Fixture.t0 + 1, policy: policy)
                    }
                }
                var all: [ReclaimedRun] = []
                for try await batch in group { all += batch }
                return all
            }
            #expect(results.count == 20)
            #expect(Set(results.map(\.run.id)).count == 20)
            #expect(results.allSatisfy { $0.run.attempts == 2 })
        }
    }

    @Test func aSilentOwnerLosesItsRunsWhenTheLeaseExpires() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let policy = Fixture.policy(lease: .seconds(60))
            let early = try await store.reclaimAbandonedRuns(owner: Fixture.bob, at: Fixture.t0 + 60, policy: policy)
            #expect(early.isEmpty)
            let reclaimed = try await store.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 61, policy: policy
            )
            #expect(reclaimed.map(\.run.id) == [run.id])
            #expect(reclaimed.first?.reason == .leaseExpired(lastHeartbeat: Fixture.t0))
        }
    }

    @Test func heartbeatsKeepALiveOwnersRuns() async throws {
        try await withStore { store, _ in
            let first = try await store.claimRun(
                job: "a", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let second = try await store.claimRun(
                job: "b", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            _ = try await store.claimRun(
                job: "c", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0
            )
            let policy = Fixture.policy(lease: .seconds(60))
            for minute in 1...10 {
                let now = Fixture.t0 + Fixture.minutes(Double(minute))
                #expect(try await store.heartbeat(owner: Fixture.alice, at: now) == [first.id, second.id])
                let reclaimed = try await store.reclaimAbandonedRuns(owner: Fixture.carol, at: now + 30, policy: policy)
                // Bob never heartbeats, so only his run goes.
                #expect(reclaimed.allSatisfy { $0.previousOwner == Fixture.bob })
            }
            #expect(try await store.run(first.id)?.heartbeatAt == Fixture.t0 + Fixture.minutes(10))
        }
    }

    @Test func anOwnerThatLostItsRunLearnsItFromTheHeartbeat() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            _ = try await store.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 1, policy: Fixture.policy(dead: [Fixture.alice])
            )
            #expect(try await store.heartbeat(owner: Fixture.alice, at: Fixture.t0 + 2).isEmpty)
            #expect(try await store.heartbeat(owner: Fixture.bob, at: Fixture.t0 + 2) == [run.id])
        }
    }

    @Test func nobodyReclaimsItsOwnRunsOrFinishedOnes() async throws {
        try await withStore { store, _ in
            _ = try await store.claimRun(
                job: "mine", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0
            )
            let done = try await store.claimRun(
                job: "done", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            _ = try await store.finishRun(done.id, owner: Fixture.alice, outcome: .failed("x"), at: Fixture.t0)
            _ = try await store.recordSkip(
                job: "skipped", logicalTime: Fixture.t0, trigger: .schedule, reason: "overlap", owner: Fixture.alice,
                at: Fixture.t0
            )
            let reclaimed = try await store.reclaimAbandonedRuns(
                owner: Fixture.bob, at: Fixture.t0 + 86_400,
                policy: Fixture.policy(dead: [Fixture.alice, Fixture.bob])
            )
            #expect(reclaimed.isEmpty)
        }
    }

    @Test func gracefulShutdownInterruptsTheOwnersRunsForLaterResumption() async throws {
        try await withStore { store, _ in
            let mine = try await store.claimRun(
                job: "a", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let theirs = try await store.claimRun(
                job: "b", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0
            ).run
            let interrupted = try await store.interruptRuns(
                owner: Fixture.alice, reason: "shutdown deadline passed", at: Fixture.t0 + 30
            )
            #expect(interrupted.map(\.id) == [mine.id])
            #expect(interrupted.first?.state == .interrupted)
            #expect(interrupted.first?.detail == "shutdown deadline passed")
            #expect(interrupted.first?.finishedAt == Fixture.t0 + 30)
            #expect(try await store.run(theirs.id)?.state == .running)
            #expect(try await store.unfinishedRuns().map(\.id) == [mine.id, theirs.id])

            // Interrupted runs are not abandoned running runs: reclaim leaves them to the daemon's decision.
            let reclaimed = try await store.reclaimAbandonedRuns(
                owner: Fixture.carol, at: Fixture.t0 + 60, policy: Fixture.policy(dead: [Fixture.alice])
            )
            #expect(reclaimed.isEmpty)

            let resumed = try #require(
                try await store.resumeInterruptedRun(mine.id, owner: Fixture.carol, at: Fixture.t0 + 60)
            )
            #expect(resumed.state == .running)
            #expect(resumed.owner == Fixture.carol)
            #expect(resumed.attempts == 2)
            #expect(resumed.finishedAt == nil)
            #expect(resumed.detail == nil)
            #expect(try await store.resumeInterruptedRun(mine.id, owner: Fixture.bob, at: Fixture.t0 + 61) == nil)
            #expect(try await store.resumeInterruptedRun(theirs.id, owner: Fixture.bob, at: Fixture.t0 + 61) == nil)

            let code = await storeErrorCode {
                _ = try await store.finishRun(mine.id, owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0 + 62)
            }
            #expect(code == .notOwner)
        }
    }

    @Test func anOwnerMayStillFinishARunItInterrupted() async throws {
        try await withStore { store, _ in
            let run = try await store.claimRun(
                job: "a", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            _ = try await store.interruptRuns(owner: Fixture.alice, reason: "shutting down", at: Fixture.t0 + 1)
            let finished = try await store.finishRun(
                run.id, owner: Fixture.alice, outcome: .succeeded(), at: Fixture.t0 + 2
            )
            #expect(finished.state == .succeeded)
            #expect(try await store.resumeInterruptedRun(run.id, owner: Fixture.bob, at: Fixture.t0 + 3) == nil)
        }
    }
}
