import Foundation
import Testing

@testable import Store

struct ClaimTests {
    @Test func claimCreatesARunningRunOwnedByTheCaller() async throws {
        try await withStore { store, _ in
            let claim = try await store.claimRun(
                job: "weekly anniversary", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice,
                at: Fixture.t0.addingTimeInterval(0.25)
            )
            let run = try #require(claim.claimedRun)
            #expect(run.job == "weekly anniversary")
            #expect(run.logicalTime == Fixture.t0)
            #expect(run.state == .running)
            #expect(run.trigger == .schedule)
            #expect(run.attempts == 1)
            #expect(run.owner == Fixture.alice)
            #expect(run.startedAt == Fixture.t0.addingTimeInterval(0.25))
            #expect(run.heartbeatAt == run.startedAt)
            #expect(run.finishedAt == nil)
            #expect(try await store.run(run.id) == run)
            #expect(try await store.run(job: "weekly anniversary", logicalTime: Fixture.t0) == run)
        }
    }

    @Test func aSecondClaimOfTheSameKeyGetsTheExistingRun() async throws {
        try await withStore { store, _ in
            let first = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            )
            let second = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .manual, owner: Fixture.bob, at: Fixture.t0 + 5
            )
            #expect(first.isClaimed)
            #expect(second == .alreadyRecorded(first.run))
            #expect(second.run.owner == Fixture.alice)
            #expect(second.run.trigger == .schedule)
        }
    }

    @Test func aClaimThroughAnotherStoreOnTheSameFileGetsTheExistingRun() async throws {
        try await withStorePath { path in
            let one = try SQLiteStore(path: path)
            let two = try SQLiteStore(path: path)
            let first = try await one.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            )
            let second = try await two.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0
            )
            #expect(first.isClaimed)
            #expect(!second.isClaimed)
            #expect(second.run.id == first.run.id)
            #expect(second.run.owner == Fixture.alice)
        }
    }

    @Test func ofManyConcurrentClaimsAcrossTwoStoresExactlyOneWins() async throws {
        try await withStorePath { path in
            let stores = [try SQLiteStore(path: path), try SQLiteStore(path: path)]
            let claims = try await withThrowingTaskGroup(of: RunClaim.self) { group in
                for i in 0..<64 {
                    let store = stores[i % 2]
                    group.addTask {
                        try await store.claimRun(
                            job: "j", logicalTime: Fixture.t0, trigger: .schedule,
                            owner: OwnerID(hostname: "h", pid: Int32(i), startNanos: 0), at: Fixture.t0
                        )
                    }
                }
                var claims: [RunClaim] = []
                for try await claim in group { claims.append(claim) }
                return claims
            }
            #expect(claims.count == 64)
            #expect(claims.filter(\.isClaimed).count == 1)
            #expect(Set(claims.map(\.run.id)).count == 1)
            #expect(try await stores[0].recentRuns(job: nil, limit: 100).count == 1)
        }
    }

    @Test func jobsAndLogicalTimesAreIndependentKeys() async throws {
        try await withStore { store, _ in
            let keys: [(String, Date)] = [
                ("funding-summary", Fixture.t0), ("funding-summary", Fixture.t0 + 0.001),
                ("Funding-Summary", Fixture.t0), ("fünf jobs: «quoted» 'name'", Fixture.t0),
            ]
            for (job, time) in keys {
                let claim = try await store.claimRun(
                    job: job, logicalTime: time, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
                )
                #expect(claim.isClaimed, "\(job) at \(time)")
                #expect(claim.run.job == job)
                #expect(claim.run.logicalTime == time)
            }
        }
    }

    @Test func aSkipTakesTheSlotWithItsReason() async throws {
        try await withStore { store, _ in
            let skip = try await store.recordSkip(
                job: "j", logicalTime: Fixture.t0, trigger: .catchUp, reason: "catch_up: skip", owner: Fixture.alice,
                at: Fixture.t0 + 60
            )
            let run = try #require(skip.claimedRun)
            #expect(run.state == .skipped)
            #expect(run.trigger == .catchUp)
            #expect(run.detail == "catch_up: skip")
            #expect(run.attempts == 0)
            #expect(run.heartbeatAt == nil)
            #expect(run.finishedAt == Fixture.t0 + 60)

            let claim = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.bob, at: Fixture.t0 + 61
            )
            #expect(claim == .alreadyRecorded(run))
        }
    }

    @Test func aSkipOfAClaimedTimeLeavesTheRunAlone() async throws {
        try await withStore { store, _ in
            let claimed = try await store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            ).run
            let skip = try await store.recordSkip(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, reason: "overlap", owner: Fixture.bob,
                at: Fixture.t0
            )
            #expect(skip == .alreadyRecorded(claimed))
            #expect(try await store.run(claimed.id)?.state == .running)
        }
    }
}
