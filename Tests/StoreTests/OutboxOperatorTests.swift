import Foundation
import Testing

@testable import Store

struct OutboxOperatorTests {
    /// A delivery settled into `state` by a claim and the matching mark.
    private func settled(_ store: SQLiteStore, _ state: DeliveryState, destination: String) async throws -> Delivery {
        // Written due before anything else the tests queue, so that the claim below takes it.
        let id = try await OutboxFixture.enqueue(
            store, [OutboxFixture.new(destination)], job: destination, at: Fixture.t0 - 60
        )[0].id
        _ = try await store.claimDue(
            owner: Fixture.alice, now: Fixture.t0, limit: 1, excludingDestinations: []
        )
        let report = AttemptReport()
        let result: DeliveryTransition
        switch state {
        case .dead:
            result = try await store.markDead(id, owner: Fixture.alice, reason: "gone", report: report, at: Fixture.t0)
        case .unknown:
            result = try await store.markUnknown(id, owner: Fixture.alice, reason: "?", report: report, at: Fixture.t0)
        case .sent:
            result = try await store.markSent(id, owner: Fixture.alice, remoteID: "x", report: report, at: Fixture.t0)
        case .retry:
            result = try await store.markRetry(
                id, owner: Fixture.alice, due: Fixture.t0 + 3600, error: "503", report: report, at: Fixture.t0
            )
        default:
            Issue.record("no way to settle into \(state)")
            return try #require(try await store.delivery(id))
        }
        return try #require(result.delivery)
    }

    @Test func retryQueuesUnknownDeadAndDroppedDeliveriesAgain() async throws {
        try await withStore { store, _ in
            let unknown = try await settled(store, .unknown, destination: "u")
            let dead = try await settled(store, .dead, destination: "d")
            let waiting = try await settled(store, .retry, destination: "r")
            let dropped = try await OutboxFixture.enqueue(store, [OutboxFixture.new("x")], job: "x")[0]
            _ = try await store.drop(dropped.id, reason: "posted by hand", at: Fixture.t0)

            let later = Fixture.t0 + 86_400
            for delivery in [unknown, dead, waiting, dropped] {
                let result = try await store.retry(delivery.id, at: later)
                #expect(result.isApplied)
                #expect(result.delivery?.state == .pending)
                #expect(result.delivery?.dueAt == later)
                #expect(result.delivery?.requeuedAt == later)
                #expect(result.delivery?.ageReference == later)
            }
            let claimed = try await store.claim(at: later)
            #expect(Set(claimed.map(\.id)) == [unknown.id, dead.id, waiting.id, dropped.id])
        }
    }

    @Test func retryRefusesWhatIsSentInFlightOrQueued() async throws {
        try await withStore { store, _ in
            let sent = try await settled(store, .sent, destination: "s")
            let pending = try await OutboxFixture.enqueue(store, [OutboxFixture.new("p")], job: "p")[0]
            let sending = try await OutboxFixture.enqueue(store, [OutboxFixture.new("f")], job: "f")[0]
            _ = try await store.claimDue(owner: Fixture.alice, now: Fixture.t0, limit: 10, excludingDestinations: ["p"])
            for (delivery, state) in [(sent, DeliveryState.sent), (pending, .pending), (sending, .sending)] {
                let result = try await store.retry(delivery.id, at: Fixture.t0 + 1)
                #expect(!result.isApplied)
                #expect(result.delivery?.state == state)
            }
        }
    }

    @Test func dropSettlesQueuedAndFailedDeliveriesButNotSentOrInFlightOnes() async throws {
        try await withStore { store, _ in
            let pending = try await OutboxFixture.enqueue(store, [OutboxFixture.new("p")], job: "p")[0]
            let unknown = try await settled(store, .unknown, destination: "u")
            let sent = try await settled(store, .sent, destination: "s")
            let sending = try await OutboxFixture.enqueue(store, [OutboxFixture.new("f")], job: "f")[0]
            _ = try await store.claimDue(owner: Fixture.alice, now: Fixture.t0, limit: 10, excludingDestinations: ["p"])

            let dropped = try await store.drop(pending.id, reason: nil, at: Fixture.t0 + 1)
            #expect(dropped.delivery?.state == .dropped)
            #expect(dropped.delivery?.lastError == "dropped by an operator")
            #expect(dropped.delivery?.dueAt == nil)
            #expect(try await store.drop(unknown.id, reason: "it did arrive", at: Fixture.t0 + 1).delivery?.lastError
                == "it did arrive")
            #expect(!(try await store.drop(sent.id, reason: nil, at: Fixture.t0 + 1).isApplied))
            #expect(!(try await store.drop(sending.id, reason: nil, at: Fixture.t0 + 1).isApplied))
            #expect(try await store.claim(at: Fixture.t0 + 10).isEmpty)
            #expect(try await store.deliveryCounts() == [.dropped: 2, .sent: 1, .sending: 1])
        }
    }

    @Test func listingsAreNewestFirstAndLimited() async throws {
        try await withStore { store, _ in
            let written = try await OutboxFixture.enqueue(store, (0..<5).map { OutboxFixture.new("d\($0)") })
            for (offset, delivery) in written.enumerated() {
                _ = try await store.drop(delivery.id, reason: nil, at: Fixture.t0 + Double(offset))
            }
            let newest = try await store.deliveries(state: .dropped, limit: 2)
            #expect(newest.map(\.id) == [written[4].id, written[3].id])
            #expect(try await store.deliveries(state: nil, limit: 100).count == 5)
            #expect(try await store.deliveries(state: .pending, limit: 100).isEmpty)
        }
    }
}
