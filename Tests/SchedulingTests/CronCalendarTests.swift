import Foundation
import Scheduling
import Testing

/// Day rules and search speed, with expected values from cronsim 2.8.
struct CronCalendarTests {
    @Test func twentyNinthOfFebruary() throws {
        #expect(try fireStrings("0 0 29 2 *", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00",
        ])
        #expect(try fireStrings("0 0 L 2 *", "UTC", after: "2027-01-01T00:00:00+00:00", count: 2) == [
            "2027-02-28T00:00:00+00:00", "2028-02-29T00:00:00+00:00",
        ])
    }

    @Test func dayFieldsAreOredWhenNeitherStartsWithAStar() throws {
        // Every Monday in February, plus the 29th.
        #expect(try fireStrings("0 0 29 2 1", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2026-02-02T00:00:00+00:00", "2026-02-09T00:00:00+00:00",
        ])
        // Friday or the 13th.
        #expect(try fireStrings("0 12 13 * 5", "UTC", after: "2026-01-01T00:00:00+00:00", count: 3) == [
            "2026-01-02T12:00:00+00:00", "2026-01-09T12:00:00+00:00", "2026-01-13T12:00:00+00:00",
        ])
    }

    @Test func dayFieldsAreAndedWhenOneStartsWithAStar() throws {
        // Fridays that are the 1st, 14th or 27th.
        #expect(try fireStrings("0 12 */13 * FRI", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2026-02-27T12:00:00+00:00", "2026-03-27T12:00:00+00:00",
        ])
    }

    @Test func lastAndNthForms() throws {
        #expect(try fireStrings("0 0 LW * *", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00",
        ])
        #expect(try fireStrings("0 0 * * 5L", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00",
        ])
        #expect(try fireStrings("0 0 * * 7#1", "UTC", after: "2026-01-01T00:00:00+00:00", count: 2) == [
            "2026-01-04T00:00:00+00:00", "2026-02-01T00:00:00+00:00",
        ])
        #expect(try fireStrings("0 0 * 2 MON#5", "UTC", after: "2026-01-01T00:00:00+00:00", count: 3) == [
            "2044-02-29T00:00:00+00:00", "2072-02-29T00:00:00+00:00", "2112-02-29T00:00:00+00:00",
        ])
    }

    @Test func nothingWithinFiftyYearsIsNil() throws {
        let expression = try CronExpression("0 0 */31 * 1L")  // the 1st is never the last Monday
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(expression.nextFire(after: instant("2026-01-01T00:00:00Z"), in: utc) == nil)
    }

    @Test func resultsAreStrictlyAfterTheStart() throws {
        #expect(try fireStrings("0 0 * * *", "UTC", after: "2026-01-01T00:00:00+00:00", count: 1) == [
            "2026-01-02T00:00:00+00:00",
        ])
        #expect(try fireStrings("0 0 * * *", "UTC", after: "2025-12-31T23:59:59.5+00:00", count: 1) == [
            "2026-01-01T00:00:00+00:00",
        ])
    }

    /// A search that stepped day by day through the years these need (`*/31` with `1L` never fires) would run into
    /// the time limit.
    @Test(.timeLimit(.minutes(1))) func sparseSchedulesAreFast() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        let expressions = ["0 0 29 2 1", "0 0 31 */2 *", "0 0 29 2 *", "0 0 * 2 MON#5", "0 0 */31 * 1L", "59 23 31 12 *"]
        for text in expressions {
            let expression = try CronExpression(text)
            _ = expression.fires(after: instant("2026-03-01T00:00:00Z"), in: zone, count: 5)
        }
    }
}
