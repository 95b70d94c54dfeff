import Foundation

/// When to try a failed delivery again: exponential backoff with full jitter, or the service's own delay.
///
/// Full jitter (a uniform wait between 0 and the exponential bound) spreads the retries of many deliveries
/// that failed together, so a recovering service is not hit by all of them at once.
public struct Backoff: Sendable, Hashable {
    /// The bound for the first retry.
    public var base: TimeInterval
    /// The largest bound.
    public var cap: TimeInterval

    /// Creates a backoff.
    public init(base: TimeInterval, cap: TimeInterval) {
        self.base = base
        self.cap = cap
    }

    /// The bound after `attempts` tries (1 for the first): `base · 2^(attempts−1)`, at most `cap`.
    public func bound(afterAttempts attempts: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempts - 1, 62)))
        return min(cap, base * pow(2, exponent))
    }

    /// How long to wait after `attempts` tries: the service's delay when it gave one (never shortened;
    /// up to a tenth longer, so deliveries told the same time do not return in lockstep), else a uniform
    /// draw in `0…bound`.
    public func delay<Generator: RandomNumberGenerator>(
        afterAttempts attempts: Int, serviceDelay: TimeInterval?, using generator: inout Generator
    ) -> TimeInterval {
        if let serviceDelay, serviceDelay > 0 {
            return serviceDelay * (1 + Double.random(in: 0...0.1, using: &generator))
        }
        return Double.random(in: 0...bound(afterAttempts: attempts), using: &generator)
    }

    /// ``delay(afterAttempts:serviceDelay:using:)`` with the system generator.
    public func delay(afterAttempts attempts: Int, serviceDelay: TimeInterval?) -> TimeInterval {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempts: attempts, serviceDelay: serviceDelay, using: &generator)
    }
}
