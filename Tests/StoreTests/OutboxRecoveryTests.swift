import Foundation
import Testing

@testable import Store

struct OutboxRecoveryTests {
    /// Writes one delivery to each of `destinations` and has `owner` claim them all.
    private func inFlight(_ store: SQLiteStore, _ destinations: [String], owner: OwnerID) async throws -> [Delivery] {
        _ = try await OutboxFixture.enqueue(store, destinations.map { OutboxFixture.new($0) }, job: "\(owner)")
        return try await store.claim(at: Fixture.t0, owner: owner)
    }

    @Test func aCrashedSendIsResentWhereTheServiceDeduplicatesElseShownAsUnknown() async throws {
        try await withStorePath { path in
            let crashed = OwnerID(hostname: "host-a", pid: 1, startNanos: 1)
            let restarted = OwnerID(hostname: "host-a", pid: 1, startNanos: 2)
            var claimed: [Delivery] = []
            do {
                let store = try SQLiteStore(path: path)
                claimed = try await inFlight(store, ["webhook", "matrix", "slack"], owner: crashed)
                try store.close()
            }
            // The daemon restarts on the same file.
            let store = try SQLiteStore(path: path)
            let recovered = try await store.recoverInFlight(
                owner: restarted, idempotentDestinations: ["webhook", "matrix"],
                policy: Fixture.policy(dead: [crashed]), at: Fixture.t0 + 30
            )
            #expect(recovered.map(\.id) == claimed.map(\.id))
            #expect(recovered.map(\.state) == [.retry, .retry, .unknown])
            #expect(recovered[0].dueAt == Fixture.t0 + 30)
            #expect(recovered[2].dueAt == nil)
            #expect(recovered[2].lastError?.contains("does not deduplicate") == true)

            // The idempotent ones go again, with the same key and the same bytes; the unknown one waits.
            let again = try await store.claim(at: Fixture.t0 + 30, owner: restarted)
            #expect(again.map(\.id) == [claimed[0].id, claimed[1].id])
            #expect(again.map(\.key) == [claimed[0].key, claimed[1].key])
            #expect(again.map(\.payload) == [claimed[0].payload, claimed[1].payload])
            #expect(again.map(\.attempts) == [2, 2])

            let log = try await store.attempts(of: claimed[2].id)
            #expect(log.map(\.outcome) == [.unknown])
            #expect(log.first?.owner == crashed)
            #expect(log.first?.startedAt == Fixture.t0)
        }
    }

    @Test func liveClaimsAndOwnClaimsAreLeftAlone() async throws {
        try await withStore { store, _ in
            let alive = try await inFlight(store, ["a"], owner: Fixture.alice)
            let own = try await inFlight(store, ["b"], owner: Fixture.bob)
            let recovered = try await store.recoverInFlight(
                owner: Fixture.bob, idempotentDestinations: ["a", "b"], policy: Fixture.policy(lease: .seconds(60)),
                at: Fixture.t0 + 59
            )
            #expect(recovered.isEmpty)
            #expect(try await store.delivery(alive[0].id)?.state == .sending)
            #expect(try await store.delivery(own[0].id)?.state == .sending)
            #expect(try await store.attempts(of: alive[0].id).isEmpty)
        }
    }

    @Test func aClaimOlderThanTheLeaseIsRecoveredEvenFromALiveOwner() async throws {
        try await withStore { store, _ in
            let stuck = try await inFlight(store, ["a"], owner: Fixture.alice)
            let recovered = try await store.recoverInFlight(
                owner: Fixture.bob, idempotentDestinations: [], policy: Fixture.policy(lease: .seconds(60)),
                at: Fixture.t0 + 61
            )
            #expect(recovered.map(\.id) == stuck.map(\.id))
            #expect(recovered.first?.state == .unknown)
            #expect(recovered.first?.lastError?.contains("within the lease") == true)
            // Alice's late failure report no longer applies: Bob's recovery settled it.
            let late = try await store.markRetry(
                stuck[0].id, owner: Fixture.alice, due: Fixture.t0, error: "reset", report: AttemptReport(),
                at: Fixture.t0 + 62
            )
            #expect(!late.isApplied)
            #expect(late.delivery?.state == .unknown)
        }
    }

    @Test func twoInstancesRecoveringTogetherRecoverEachDeliveryOnce() async throws {
        try await withStore { first, path in
            let second = try SQLiteStore(path: path)
            let dead = OwnerID(hostname: "gone", pid: 9, startNanos: 9)
            _ = try await OutboxFixture.enqueue(first, (0..<40).map { OutboxFixture.new("d", recipient: "r\($0)") })
            _ = try await first.claim(owner: dead)
            async let a = first.recoverInFlight(
                owner: Fixture.alice, idempotentDestinations: ["d"], policy: Fixture.policy(dead: [dead]),
                at: Fixture.t0 + 1
            )
            async let b = second.recoverInFlight(
                owner: Fixture.bob, idempotentDestinations: ["d"], policy: Fixture.policy(dead: [dead]),
                at: Fixture.t0 + 1
            )
            let all = try await a + b
            #expect(all.count == 40)
            #expect(Set(all.map(\.id)).count == 40)
            #expect(try await first.deliveryCounts() == [.retry: 40])
        }
    }
}
