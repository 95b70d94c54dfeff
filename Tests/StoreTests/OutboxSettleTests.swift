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

    @Test func manySendsWithTheSameOutcomeAreEachRecordedAndLogged() async throws {
        try await withStore { store, _ in
            let written = try await OutboxFixture.enqueue(store, (0..<6).map { OutboxFixture.new("d\($0)") })
                .sorted { $0.id.rawValue < $1.id.rawValue }
            // The last one is not claimed: a failure report for it is refused, but logged.
            #expect(try await store.claim(at: Fixture.t0 + 1, limit: 5).count == 5)
            let sent = written.prefix(4).map { SendOutcome($0.id, .sent(remoteID: nil), report: AttemptReport(status: 204)) }
            let failed = written.suffix(2).map {
                SendOutcome($0.id, .retry(due: Fixture.t0 + 60, error: "HTTP 503"), report: AttemptReport(status: 503))
            }
            let missing = SendOutcome(Delivery.ID(rawValue: 999), .sent(remoteID: nil), report: AttemptReport(status: 204))
            let applied = try await store.record(sent + failed + [missing], owner: Fixture.alice, at: Fixture.t0 + 4)
            #expect(applied == 5, "four sent and one retry; not the unclaimed one nor the missing one")
            for delivery in written.prefix(4) {
                let now = try #require(try await store.delivery(delivery.id))
                #expect(now.state == .sent && now.updatedAt == Fixture.t0 + 4 && now.lastError == nil)
                let log = try await store.attempts(of: delivery.id)
                #expect(log.map(\.outcome) == [.sent] && log.map(\.status) == [204])
                #expect(log.first?.startedAt == Fixture.t0 + 1 && log.first?.finishedAt == Fixture.t0 + 4)
            }
            let retried = try #require(try await store.delivery(written[4].id))
            #expect(retried.state == .retry && retried.dueAt == Fixture.t0 + 60 && retried.lastError == "HTTP 503")
            #expect(try await store.delivery(written[5].id)?.state == .pending)
            let refusedLog = try await store.attempts(of: written[5].id)
            #expect(refusedLog.map(\.outcome) == [.retry] && refusedLog.first?.startedAt == nil)
            #expect(try await store.attempts(of: missing.id).isEmpty)
        }
    }

    @Test func anIdTwiceInOneBatchIsRecordedInOrder() async throws {
        try await withStore { store, _ in
            let id = try await OutboxFixture.enqueue(store, [OutboxFixture.new("a")])[0].id
            _ = try await store.claim()
            let results = try await store.settle(
                [
                    SendOutcome(id, .sent(remoteID: "r1"), report: AttemptReport(status: 200)),
                    SendOutcome(id, .sent(remoteID: "r2"), report: AttemptReport(status: 200)),
                    SendOutcome(id, .sent(remoteID: "r1"), report: AttemptReport(status: 200)),
                ],
                owner: Fixture.alice, at: Fixture.t0 + 1
            )
            #expect(results.map(\.isApplied) == [true, false, false])
            #expect(results.allSatisfy { $0.delivery?.remoteID == "r1" })
            #expect(try await store.attempts(of: id).count == 3)
        }
    }

    @Test func outcomesAreRecordedBeforeTheClaimInTheSameCall() async throws {
        try await withStore { store, _ in
            let parts = try await OutboxFixture.enqueue(store, (0..<2).map { OutboxFixture.new("mastodon", part: $0, of: 2) })
                .sorted { $0.partIndex < $1.partIndex }
            #expect(try await store.claim().map(\.id) == [parts[0].id])
            // Recording the first part as sent lets the same transaction claim the second.
            let claimed = try await store.recordAndClaim(
                [SendOutcome(parts[0].id, .sent(remoteID: "p0"), report: AttemptReport(status: 200))],
                owner: Fixture.alice, now: Fixture.t0 + 1, limit: 10, excludingDestinations: [], run: nil)
            #expect(claimed.map(\.id) == [parts[1].id])
            #expect(claimed.first?.state == .sending && claimed.first?.claimedAt == Fixture.t0 + 1)
            #expect(try await store.delivery(parts[0].id)?.state == .sent)
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
