import CurlKit
import Foundation

/// Reading the rate-limit headers of the social APIs (protocols.md §0.3): each names when its bucket
/// refills in its own way — Mastodon as an ISO 8601 time, Bluesky and X as epoch seconds.
struct RateLimitHeaders: Sendable {
    /// How the reset header is written.
    enum ResetFormat: Sendable {
        case iso8601
        case epochSeconds
    }

    var remaining: String
    var reset: String
    var format: ResetFormat

    static let mastodon = RateLimitHeaders(remaining: "X-RateLimit-Remaining", reset: "X-RateLimit-Reset", format: .iso8601)
    static let bluesky = RateLimitHeaders(remaining: "RateLimit-Remaining", reset: "RateLimit-Reset", format: .epochSeconds)
    static let x = RateLimitHeaders(remaining: "x-rate-limit-remaining", reset: "x-rate-limit-reset", format: .epochSeconds)

    /// Seconds until the bucket refills, when the reply names a reset time (0 when it is past).
    func untilReset(_ response: HTTPResponse, now: Date) -> TimeInterval? {
        guard let text = response.header(reset)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let date: Date?
        switch format {
        case .iso8601: date = Self.iso8601(text)
        case .epochSeconds: date = Double(text).map { Date(timeIntervalSince1970: $0) }
        }
        // Measured against the reply's own `Date` when it has one, so a clock that differs from the service's does
        // not shorten or stretch the wait (the Date header's whole seconds err on the side of waiting longer).
        let reference = response.header("Date").flatMap(ResponseRules.httpDate) ?? now
        return date.map { max(0, $0.timeIntervalSince(reference)) }
    }

    /// After a success: wait for the reset only when the bucket is empty.
    func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? {
        guard let text = response.header(remaining)?.trimmingCharacters(in: .whitespaces), let left = Int(text), left <= 0 else {
            return nil
        }
        return untilReset(response, now: now).flatMap { $0 > 0 ? $0 : nil }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as Rails writes it; nil for anything else.
    static func iso8601(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(text)
    }
}
