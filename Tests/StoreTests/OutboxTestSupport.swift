import Foundation
import Testing

@testable import Store

/// Helpers shared by the outbox tests.
enum OutboxFixture {
    static let dispatcher = Fixture.alice
    static let otherDispatcher = Fixture.bob

    /// A claimed (running) run of `job` at `t0 + offset`, owned by Alice.
    static func run(_ store: SQLiteStore, job: String = "j", offset: TimeInterval = 0) async throws -> Run {
        let claim = try await store.claimRun(
            job: job, logicalTime: Fixture.t0 + offset, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
        )
        guard let run = claim.claimedRun else {
            Issue.record("run \(job) at +\(offset) was already recorded")
            return claim.run
        }
        return run
    }

    /// A delivery whose payload names its destination, recipient and part.
    static func new(
        _ destination: String,
        recipient: String = "",
        part: Int = 0,
        of count: Int = 1,
        payload: String? = nil
    ) -> NewDelivery {
        NewDelivery(
            destination: destination, recipient: recipient, partIndex: part, partCount: count,
            payload: Data((payload ?? "\(destination)/\(recipient)/\(part)").utf8)
        )
    }

    /// Writes `deliveries` for a fresh run and returns what was written.
    static func enqueue(
        _ store: SQLiteStore,
        _ deliveries: [NewDelivery],
        job: String = "j",
        offset: TimeInterval = 0,
        at now: Date = Fixture.t0
    ) async throws -> [Delivery] {
        let run = try await run(store, job: job, offset: offset)
        return try await store.enqueue(deliveries, run: run.id, at: now).inserted
    }
}

extension SQLiteStore {
    /// Claims with Alice, at `now`, excluding nothing.
    func claim(at now: Date = Fixture.t0, limit: Int = 100, owner: OwnerID = Fixture.alice) async throws -> [Delivery] {
        try await claimDue(owner: owner, now: now, limit: limit, excludingDestinations: [])
    }
}
