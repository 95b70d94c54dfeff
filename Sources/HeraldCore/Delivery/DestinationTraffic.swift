import Foundation

/// What the dispatcher tracks per destination between claims: sends in flight, a hold the service asked
/// for (rate limited, bucket empty), and the next slot Herald's own `rate:` allows.
struct DestinationTraffic: Sendable {
    var inFlight = 0
    /// No send before this (the service's Retry-After or rate-limit reset); persisted in the store.
    var heldUntil: Date?
    /// No send before this (Herald's own `rate:`).
    var nextSlot: Date?

    /// The earliest time this destination may be sent to again, if it is held now.
    func openingTime(after now: Date) -> Date? {
        [heldUntil, nextSlot].compactMap { $0 }.filter { $0 > now }.max()
    }

    /// How many more sends may start now under `policy`: 0 when held or full; 1 at a time under a rate.
    func room(at now: Date, policy: DeliveryPolicy) -> Int {
        if openingTime(after: now) != nil { return 0 }
        let room = max(0, policy.concurrency - inFlight)
        return policy.ratePerSecond == nil ? room : min(room, 1)
    }

    /// Takes a send slot: one more in flight, and under a rate, the next slot moves on by one interval.
    mutating func take(at now: Date, policy: DeliveryPolicy) {
        inFlight += 1
        if let rate = policy.ratePerSecond {
            nextSlot = max(now, nextSlot ?? now).addingTimeInterval(1 / rate)
        }
    }
}
