@testable import Channels
import CurlKit
import Foundation
import Testing

@Suite struct RateLimitHeadersTests {
    @Test func readsMastodonsISOResetWithMicroseconds() throws {
        let date = try #require(RateLimitHeaders.iso8601("2026-01-01T12:05:00.250000Z"))
        #expect(date.timeIntervalSince1970 == 1_767_269_100.25)
        #expect(RateLimitHeaders.iso8601("2024-02-29T00:00:00+01:00")?.timeIntervalSince1970 == 1_709_161_200)
        #expect(RateLimitHeaders.iso8601("2026-13-01T00:00:00Z") == nil)
        #expect(RateLimitHeaders.iso8601("1767269100") == nil)
    }

    @Test func pacesOnlyWhenTheBucketIsEmpty() {
        let now = Date(timeIntervalSince1970: 1_767_269_000)
        let empty = HTTPResponse(status: 200, headers: [HTTPHeader("X-RateLimit-Remaining", "0"),
                                                        HTTPHeader("X-RateLimit-Reset", "2026-01-01T12:05:00.000000Z")], body: Data())
        #expect(RateLimitHeaders.mastodon.pacing(after: empty, at: now) == 100)
        let left = HTTPResponse(status: 200, headers: [HTTPHeader("X-RateLimit-Remaining", "3"),
                                                       HTTPHeader("X-RateLimit-Reset", "2026-01-01T12:05:00.000000Z")], body: Data())
        #expect(RateLimitHeaders.mastodon.pacing(after: left, at: now) == nil)
        let x = HTTPResponse(status: 429, headers: [HTTPHeader("x-rate-limit-reset", "1767269030")], body: Data())
        #expect(RateLimitHeaders.x.untilReset(x, now: now) == 30)
    }
}
