import Foundation
import Testing

@testable import Store

struct OutboxSettleTests {
    @Test func everyAttemptIsLogged() async throws {
        try await withStore { store, _ in
            let id = try await OutboxFixture.enqueue(store, [OutboxFixture.new("slack")])[0].id
            _ = try await store.claim(at: Fixture.t0 + 1)
            try await store.markRetry(
                id, owner: Fixture.alice, due: Fixture.t0 + 10, error: "HTTP 429: rate limited",
                report: AttemptReport(status: 429, responseExcerpt: "{\"ok\":false}"), at: Fixture.t0 + 2
            )
            _ = try await store.claim(at: Fixture.t0 + 10)
            let sent = try await store.markSent(
                id, owner: Fixture.alice, remoteID: "1700000000.000100",
                report: AttemptReport(status: 200, responseExcerpt: "ok"), at: Fixture.t0 + 11
            )
            #expect(sent.isApplied)
            let delivery = try #require(sent.delivery)
            #expect(delivery.state == .sent)
            #expect(delivery.remoteID == "1700000000.000100")
            #expect(delivery.lastError == nil)
            #expect(delivery.attempts == 2)
            #expect(delivery.updatedAt == Fixture.t0 + 11)

            let log = try await store.attempts(of: id)
            #expect(log.count == 2)
            #expect(log.map(\.outcome) == [.retry, .sent])
            #expect(log.map(\.status) == [429, 200])
            #expect(log.map(\.startedAt) == [Fixture.t0 + 1, Fixture.t0 + 10])
            #expect(log.map(\.finishedAt) == [Fixture.t0 + 2, Fixture.t0 + 11])
            #expect(log[0].error == "HTTP 429: rate limited")
            #expect(log[0].responseExcerpt == "{\"ok\":false}")
            #expect(log[1].error == nil)
            #expect(log.allSatisfy { $0.owner == Fixture.alice && $0.deliveryID == id })
        }
    }

    @Test func deadAndUnknownKeepTheirReason() async throws {
        try await withStore { store, _ in
            let written = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a"), OutboxFixture.new("b")])
            _ = try await store.claim()
            let dead = try await store.markDead(
                written[0].id, owner: Fixture.alice, reason: "HTTP 404: unknown webhook",
                report: AttemptReport(status: 404), at: Fixture.t0 + 1
            )
            let unknown = try await store.markUnknown(
                written[1].id, owner: Fixture.alice, reason: "timed out after the request was sent",
                report: AttemptReport(), at: Fixture.t0 + 1
            )
            #expect(dead.delivery?.state == .dead)
            #expect(dead.delivery?.lastError == "HTTP 404: unknown webhook")
            #expect(unknown.delivery?.state == .unknown)
            #expect(unknown.delivery?.lastError == "timed out after the request was sent")
            #expect(try await store.deliveries(state: .dead, limit: 10).map(\.id) == [written[0].id])
            #expect(try await store.deliveries(state: .unknown, limit: 10).map(\.id) == [written[1].id])
            #expect(try await store.deliveryCounts() == [.dead: 1, .unknown: 1])
        }
    }

    @Test func onlyTheClaimantSettlesAFailure() async throws {
        try await withStore { store, _ in
            let id = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a")])[0].id
            _ = try await store.claim(owner: Fixture.alice)
            let stale = try await store.markRetry(
                id, owner: Fixture.bob, due: Fixture.t0, error: "late", report: AttemptReport(), at: Fixture.t0 + 1
            )
            guard case .refused(let current) = stale else {
                Issue.record("expected a refusal, got \(stale)")
                return
            }
            #expect(current.state == .sending)
            #expect(current.claimedBy == Fixture.alice)
            // The attempt is still in the log, with no start time since Bob did not hold the claim.
            let log = try await store.attempts(of: id)
            #expect(log.map(\.owner) == [Fixture.bob])
            #expect(log.first?.startedAt == nil)
        }
    }

    @Test func aLateSuccessIsRecordedEvenAfterRecoveryButOnlyOnce() async throws {
        try await withStore { store, _ in
            let id = try await OutboxFixture.enqueue(store, [OutboxFixture.new("plain")])[0].id
            _ = try await store.claim(owner: Fixture.alice)
            // Bob wrongly believes Alice dead; the delivery becomes unknown; then Alice's reply arrives.
            _ = try await store.recoverInFlight(
                owner: Fixture.bob, idempotentDestinations: [], policy: Fixture.policy(dead: [Fixture.alice]),
                at: Fixture.t0 + 1
            )
            let late = try await store.markSent(
                id, owner: Fixture.alice, remoteID: "r1", report: AttemptReport(status: 201), at: Fixture.t0 + 2
            )
            #expect(late.isApplied)
            #expect(late.delivery?.state == .sent)
            let again = try await store.markSent(
                id, owner: Fixture.bob, remoteID: "r2", report: AttemptReport(status: 201), at: Fixture.t0 + 3
            )
            #expect(!again.isApplied)
            #expect(again.delivery?.remoteID == "r1")
        }
    }

    @Test func aBatchOfOutcomesIsRecordedAsEachMarkWould() async throws {
        try await withStore { store, _ in
            let written = try await OutboxFixture.enqueue(store, (0..<4).map { OutboxFixture.new("d\($0)") })
            _ = try await store.claim()
            let ids = written.map(\.id)
            let results = try await store.settle(
                [
                    SendOutcome(ids[0], .sent(remoteID: "m0"), report: AttemptReport(status: 200)),
                    SendOutcome(ids[1], .retry(due: Fixture.t0 + 9, error: "HTTP 502"), report: AttemptReport(status: 502)),
                    SendOutcome(ids[2], .dead(reason: "HTTP 400")),
                    SendOutcome(ids[3], .unknown(reason: "timeout")),
                    SendOutcome(Delivery.ID(rawValue: 999), .sent(remoteID: nil)),
                ],
                owner: Fixture.alice, at: Fixture.t0 + 1
            )
            #expect(results.map(\.delivery?.state) == [.sent, .retry, .dead, .unknown, nil])
            #expect(results.prefix(4).allSatisfy { $0.isApplied })
            #expect(results[0].delivery?.remoteID == "m0")
            #expect(results[1].delivery?.dueAt == Fixture.t0 + 9)
            #expect(results[2].delivery?.lastError == "HTTP 400")
            for id in ids {
                #expect(try await store.attempts(of: id).count == 1)
            }
        }
    }

    @Test func anUnknownIdIsReported() async throws {
        try await withStore { store, _ in
            let missing = Delivery.ID(rawValue: 42)
            let sent = try await store.markSent(
                missing, owner: Fixture.alice, remoteID: nil, report: AttemptReport(), at: Fixture.t0
            )
            #expect(sent == .notFound)
            #expect(try await store.retry(missing, at: Fixture.t0) == .notFound)
            #expect(try await store.drop(missing, reason: nil, at: Fixture.t0) == .notFound)
            #expect(try await store.delivery(missing) == nil)
            #expect(try await store.attempts(of: missing).isEmpty)
            #expect(try await store.thread(of: missing).isEmpty)
        }
    }
}
