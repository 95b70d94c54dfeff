import Foundation

/// How the dispatcher treats one destination: how many sends at once, how fast, for how long it keeps
/// trying, and how long one request may take. From the destination's keys in `etc/herald.yaml`.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Sends to this destination at once (`concurrency:`, default 4). Parts of one thread always go one
    /// after another whatever this says.
    public var concurrency: Int
    /// At most this many sends per second (`rate: 60/min`), or nil for no limit of Herald's own; the
    /// service's rate-limit replies are obeyed either way.
    public var ratePerSecond: Double?
    /// A delivery not sent this long after it was queued (or requeued by an operator) is dead
    /// (`max_age:`, default 24h), so a digest never goes out days late.
    public var maxAge: TimeInterval
    /// How long one request may take, connect included (`timeout:`, default 30s).
    public var timeout: TimeInterval

    /// The defaults.
    public static let standard = DeliveryPolicy(concurrency: 4, ratePerSecond: nil, maxAge: 86_400, timeout: 30)

    /// Creates a policy.
    public init(concurrency: Int, ratePerSecond: Double?, maxAge: TimeInterval, timeout: TimeInterval) {
        self.concurrency = concurrency
        self.ratePerSecond = ratePerSecond
        self.maxAge = maxAge
        self.timeout = timeout
    }

    /// Parses a `rate:` value, `N/s`, `N/min` or `N/h` (N a positive number), into sends per second.
    public static func parseRate(_ text: String) -> Double? {
        let parts = text.replacingOccurrences(of: " ", with: "").split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let count = Double(parts[0]), count > 0, count.isFinite else { return nil }
        switch parts[1].lowercased() {
        case "s", "sec", "second": return count
        case "m", "min", "minute": return count / 60
        case "h", "hour": return count / 3600
        default: return nil
        }
    }
}
