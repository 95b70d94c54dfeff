import Foundation

/// What a service said about its rate limit for one destination and bucket, kept across restarts so that a
/// restarted daemon does not hammer a service that asked it to wait.
///
/// A bucket is the service's own scope (Discord's `X-RateLimit-Bucket`, a route); `""` stands for the whole
/// destination.
public struct RateLimitState: Sendable, Hashable {
    /// The destination's name.
    public var destination: String
    /// The service's bucket, or `""` for the whole destination.
    public var bucket: String
    /// No request may go to this bucket before this time (from `Retry-After`, a 429, `retry_after`, or a bucket
    /// with no requests remaining until its reset), or `nil` when it is not blocked.
    public var blockedUntil: Date?
    /// Requests left in the current window, if the service says.
    public var remaining: Int?
    /// Requests allowed per window, if the service says.
    public var limit: Int?
    /// When the current window resets, if the service says.
    public var resetAt: Date?
    /// When this state was recorded.
    public var updatedAt: Date

    /// Creates a state.
    public init(
        destination: String,
        bucket: String = "",
        blockedUntil: Date?,
        remaining: Int? = nil,
        limit: Int? = nil,
        resetAt: Date? = nil,
        updatedAt: Date
    ) {
        self.destination = destination
        self.bucket = bucket
        self.blockedUntil = blockedUntil
        self.remaining = remaining
        self.limit = limit
        self.resetAt = resetAt
        self.updatedAt = updatedAt
    }

    /// Whether the bucket is blocked at `now`.
    public func isBlocked(at now: Date) -> Bool {
        blockedUntil.map { $0 > now } ?? false
    }

    /// The last time this state says anything about: the later of ``blockedUntil`` and ``resetAt``.
    public var expiresAt: Date? {
        switch (blockedUntil, resetAt) {
        case let (blocked?, reset?): max(blocked, reset)
        case let (blocked?, nil): blocked
        case let (nil, reset?): reset
        case (nil, nil): nil
        }
    }
}
