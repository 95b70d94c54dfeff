import Foundation
import Scheduling
import Testing

/// Fires of `text` in `zone` after `after`, as RFC 3339 strings in that zone.
func fireStrings(_ text: String, _ zone: String, after: String, count: Int = 4) throws -> [String] {
    let timeZone = try #require(TimeZone(identifier: zone))
    let start = try #require(RFC3339.parse(after))
    return try CronExpression(text).fires(after: start, in: timeZone, count: count)
        .map { RFC3339.format($0, in: timeZone) }
}

/// The syntax error for `text`, or nil if it parses.
func syntaxError(_ text: String) -> CronSyntaxError? {
    do {
        _ = try CronExpression(text)
        return nil
    } catch {
        return error
    }
}

/// A date from an RFC 3339 literal that the test knows is valid.
func instant(_ text: String) -> Date {
    RFC3339.parse(text) ?? Date(timeIntervalSince1970: .nan)
}
