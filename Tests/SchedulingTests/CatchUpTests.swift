import Foundation
import Scheduling
import Testing

/// Which missed fires run after downtime.
struct CatchUpTests {

    func missed(
        _ text: String, zone: String = "UTC", after: String, upTo: String,
        policy: CatchUpPolicy, window: TimeInterval, limit: Int = 1000
    ) throws -> [String] {
        let timeZone = try #require(TimeZone(identifier: zone))
        return CatchUp.missedFires(
            of: try CronExpression(text), in: timeZone, after: instant(after), upTo: instant(upTo),
            policy: policy, window: window, limit: limit
        ).map { RFC3339.format($0, in: timeZone) }
    }

    @Test func skipRunsNothing() throws {
        #expect(try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-04T00:30:00Z",
                           policy: .skip, window: 86_400).isEmpty)
    }

    @Test func latestRunsTheNewestWithinTheWindow() throws {
        #expect(try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-04T00:30:00Z",
                           policy: .latest, window: 86_400) == ["2026-01-04T00:00:00+00:00"])
        // The newest is 30 minutes old: outside a 10-minute window.
        #expect(try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-04T00:30:00Z",
                           policy: .latest, window: 600).isEmpty)
    }

    @Test func allRunsEveryOneWithinTheWindowOldestFirst() throws {
        let fires = try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-04T00:30:00Z",
                               policy: .all, window: 86_400)
        #expect(fires.count == 24)
        #expect(fires.first == "2026-01-03T01:00:00+00:00")
        #expect(fires.last == "2026-01-04T00:00:00+00:00")
    }

    @Test func allStopsAtTheLimitKeepingTheOldest() throws {
        #expect(try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-04T00:30:00Z",
                           policy: .all, window: 86_400, limit: 2)
                == ["2026-01-03T01:00:00+00:00", "2026-01-03T02:00:00+00:00"])
    }

    @Test func boundsAreExclusiveOfLastCoveredAndInclusiveOfNowAndWindow() throws {
        // Due at lastCovered (already done): no; due exactly now: yes; exactly window old: yes.
        #expect(try missed("0 * * * *", after: "2026-01-01T00:00:00Z", upTo: "2026-01-01T02:00:00Z",
                           policy: .all, window: 3600) == ["2026-01-01T01:00:00+00:00", "2026-01-01T02:00:00+00:00"])
        #expect(try missed("0 * * * *", after: "2026-01-01T01:00:00Z", upTo: "2026-01-01T02:00:00Z",
                           policy: .all, window: 86_400) == ["2026-01-01T02:00:00+00:00"])
        #expect(try missed("0 * * * *", after: "2026-01-01T02:00:00Z", upTo: "2026-01-01T02:00:00Z",
                           policy: .all, window: 86_400).isEmpty)
    }

    /// Walking the 31.5 million seconds one by one would run into the time limit.
    @Test(.timeLimit(.minutes(1))) func aYearOfEverySecondIsCheap() throws {
        #expect(try missed("* * * * * *", after: "2025-01-01T00:00:00Z", upTo: "2026-01-01T12:00:00.5Z",
                           policy: .latest, window: .infinity) == ["2026-01-01T12:00:00+00:00"])
        #expect(try missed("* * * * * *", after: "2025-01-01T00:00:00Z", upTo: "2026-01-01T12:00:00Z",
                           policy: .all, window: .infinity, limit: 3).count == 3)
        // Fires in February only, found from December without walking every second.
        #expect(try missed("* * * * 2 *", after: "2025-01-01T00:00:00Z", upTo: "2025-12-01T00:00:00Z",
                           policy: .latest, window: .infinity) == ["2025-02-28T23:59:59+00:00"])
    }

    @Test func acrossFallBackADailyJobIsDueOncePerDay() throws {
        #expect(try missed("30 1 * * *", zone: "Europe/London", after: "2026-10-24T12:00:00Z",
                           upTo: "2026-10-27T12:00:00Z", policy: .all, window: 7 * 86_400) == [
            "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00", "2026-10-27T01:30:00+00:00",
        ])
    }

    @Test func policiesRoundTripThroughCodable() throws {
        let data = try JSONEncoder().encode(CatchUpPolicy.allCases)
        #expect(try JSONDecoder().decode([CatchUpPolicy].self, from: data) == [.skip, .latest, .all])
        #expect(CatchUpPolicy(rawValue: "latest") == .latest)
    }
}
