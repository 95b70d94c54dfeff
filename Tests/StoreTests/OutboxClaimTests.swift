import Foundation
import Testing

@testable import Store

struct OutboxClaimTests {
    @Test func claimingMovesDueDeliveriesToSendingEarliestFirst() async throws {
        try await withStore { store, _ in
            let late = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a")], offset: 1, at: Fixture.t0 + 20)
            let early = try await OutboxFixture.enqueue(
                store, [OutboxFixture.new("b"), OutboxFixture.new("c")], offset: 2, at: Fixture.t0 + 10
            )
            #expect(try await store.claim(at: Fixture.t0 + 5).isEmpty)  // nothing due yet

            let claimed = try await store.claim(at: Fixture.t0 + 30, limit: 2)
            #expect(claimed.map(\.id) == early.map(\.id))
            #expect(claimed.allSatisfy { $0.state == .sending && $0.attempts == 1 && $0.dueAt == nil })
            #expect(claimed.allSatisfy { $0.claimedBy == Fixture.alice && $0.claimedAt == Fixture.t0 + 30 })
            #expect(try await store.claim(at: Fixture.t0 + 30).map(\.id) == late.map(\.id))
            #expect(try await store.claim(at: Fixture.t0 + 30).isEmpty)
            #expect(try await store.deliveryCounts() == [.sending: 3])
        }
    }

    @Test func aRetryIsClaimedOnlyOnceDueAndCountsItsAttempts() async throws {
        try await withStore { store, _ in
            let written = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a")])
            let id = written[0].id
            _ = try await store.claim()
            try await store.markRetry(
                id, owner: Fixture.alice, due: Fixture.t0 + 60, error: "HTTP 503", report: AttemptReport(status: 503),
                at: Fixture.t0 + 1
            )
            #expect(try await store.nextDueTime(excludingDestinations: []) == Fixture.t0 + 60)
            #expect(try await store.claim(at: Fixture.t0 + 59).isEmpty)
            let again = try await store.claim(at: Fixture.t0 + 60)
            #expect(again.map(\.id) == [id])
            #expect(again.first?.attempts == 2)
            #expect(again.first?.lastError == "HTTP 503")
        }
    }

    @Test func excludedDestinationsAreLeftQueued() async throws {
        try await withStore { store, _ in
            _ = try await OutboxFixture.enqueue(
                store, [OutboxFixture.new("limited"), OutboxFixture.new("open"), OutboxFixture.new("busy")]
            )
            let claimed = try await store.claimDue(
                owner: Fixture.alice, now: Fixture.t0, limit: 10, excludingDestinations: ["limited", "busy"]
            )
            #expect(claimed.map(\.destination) == ["open"])
            #expect(try await store.nextDueTime(excludingDestinations: ["limited", "busy"]) == nil)
            #expect(try await store.nextDueTime(excludingDestinations: []) == Fixture.t0)
            #expect(try await store.claim().map(\.destination) == ["limited", "busy"])
        }
    }

    @Test func partsOfAThreadGoInOrder() async throws {
        try await withStore { store, _ in
            // Written in reverse, to show that order comes from the part index, not the id.
            let parts = try await OutboxFixture.enqueue(
                store,
                (0..<3).reversed().map { OutboxFixture.new("mastodon", part: $0, of: 3) }
                    + [OutboxFixture.new("mastodon", recipient: "other-thread")]
            ).sorted { ($0.recipient, $0.partIndex) < ($1.recipient, $1.partIndex) }
            let (first, second, third, other) = (parts[0], parts[1], parts[2], parts[3])

            // Only the first part of each thread is due.
            #expect(Set(try await store.claim().map(\.id)) == [first.id, other.id])
            #expect(try await store.claim().isEmpty)

            // A retry of the first part still holds the second back.
            try await store.markRetry(
                first.id, owner: Fixture.alice, due: Fixture.t0, error: "timeout", report: AttemptReport(),
                at: Fixture.t0
            )
            #expect(try await store.claim().map(\.id) == [first.id])
            try await store.markSent(
                first.id, owner: Fixture.alice, remoteID: "p1", report: AttemptReport(status: 200), at: Fixture.t0
            )
            let next = try await store.claim()
            #expect(next.map(\.id) == [second.id])
            // The dispatcher finds what to reply to in the thread.
            let thread = try await store.thread(of: second.id)
            #expect(thread.map(\.id) == [first.id, second.id, third.id])
            #expect(thread[0].remoteID == "p1")

            // A dead part holds the rest back; dropping it lets them go.
            try await store.markDead(
                second.id, owner: Fixture.alice, reason: "HTTP 422", report: AttemptReport(status: 422), at: Fixture.t0
            )
            #expect(try await store.claim().isEmpty)
            #expect(try await store.nextDueTime(excludingDestinations: []) == nil)
            _ = try await store.drop(second.id, reason: nil, at: Fixture.t0)
            #expect(try await store.claim().map(\.id) == [third.id])
        }
    }

    @Test func aLimitOfZeroClaimsNothing() async throws {
        try await withStore { store, _ in
            _ = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a")])
            #expect(try await store.claim(limit: 0).isEmpty)
            #expect(try await store.deliveryCounts() == [.pending: 1])
        }
    }

    @Test func concurrentClaimersNeverGetTheSameDelivery() async throws {
        try await withStore { first, path in
            let second = try SQLiteStore(path: path)
            let total = 300
            let run = try await OutboxFixture.run(first)
            _ = try await first.enqueue(
                (0..<total).map { OutboxFixture.new("d\($0 % 7)", recipient: "r\($0)") }, run: run.id, at: Fixture.t0
            )
            // 16 dispatchers on two connections (as two processes would be), claiming small batches until empty.
            let claims = try await withThrowingTaskGroup(of: [Delivery.ID].self) { group in
                for worker in 0..<16 {
                    let store = worker.isMultiple(of: 2) ? first : second
                    let owner = OwnerID(hostname: "worker", pid: Int32(worker), startNanos: 1)
                    group.addTask {
                        var mine: [Delivery.ID] = []
                        while true {
                            let batch = try await store.claimDue(
                                owner: owner, now: Fixture.t0, limit: 3, excludingDestinations: []
                            )
                            if batch.isEmpty { return mine }
                            #expect(batch.allSatisfy { $0.claimedBy == owner && $0.attempts == 1 })
                            mine += batch.map(\.id)
                        }
                    }
                }
                var all: [Delivery.ID] = []
                for try await ids in group {
                    all += ids
                }
                return all
            }
            #expect(claims.count == total)
            #expect(Set(claims).count == total)
            #expect(try await first.deliveryCounts() == [.sending: total])
        }
    }
}
