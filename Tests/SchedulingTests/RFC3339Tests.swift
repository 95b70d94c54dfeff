import Foundation
import Scheduling
import Testing

struct RFC3339Tests {
    @Test(arguments: [
        ("2026-03-29T00:59:59Z", "Europe/London", "2026-03-29T00:59:59+00:00"),
        ("2026-03-29T01:00:00Z", "Europe/London", "2026-03-29T02:00:00+01:00"),
        ("2026-10-04T15:30:00Z", "Australia/Lord_Howe", "2026-10-05T02:30:00+11:00"),
        ("2026-06-01T00:00:00Z", "Australia/Lord_Howe", "2026-06-01T10:30:00+10:30"),
        ("2026-06-01T00:00:00Z", "Asia/Kathmandu", "2026-06-01T05:45:00+05:45"),
        ("2026-01-01T00:00:00Z", "America/St_Johns", "2025-12-31T20:30:00-03:30"),
        ("2026-01-01T00:00:00.999Z", "UTC", "2026-01-01T00:00:00+00:00"),
        ("1969-12-31T23:59:59Z", "UTC", "1969-12-31T23:59:59+00:00"),
    ])
    func formatsWithTheZoneOffset(_ input: String, _ zone: String, _ expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(RFC3339.format(instant(input), in: timeZone) == expected)
    }

    @Test func parsesOffsetsAndFractions() throws {
        let reference = Date(timeIntervalSince1970: 1_774_746_000)  // 2026-03-29T01:00:00Z
        #expect(RFC3339.parse("2026-03-29T01:00:00Z") == reference)
        #expect(RFC3339.parse("2026-03-29T01:00:00z") == reference)
        #expect(RFC3339.parse("2026-03-29t02:00:00+01:00") == reference)
        #expect(RFC3339.parse("2026-03-29 11:30:00+10:30") == reference)
        #expect(RFC3339.parse("2026-03-28T21:00:00-04:00") == reference)
        #expect(RFC3339.parse("2026-03-29T01:00:00.250Z") == reference.addingTimeInterval(0.25))
        #expect(RFC3339.parse("2026-03-29T01:00:60Z") == reference.addingTimeInterval(60))
    }

    @Test(arguments: [
        "", "2026-03-29", "2026-03-29T01:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-03-29T24:00:00Z", "2026-03-29T01:00:00+0100", "2026-03-29T01:00:00Z junk",
        "2026-03-29T01:00:00.Z", "26-03-29T01:00:00Z",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatAndParseRoundTrip() throws {
        let zones = ["Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "UTC"]
        for identifier in zones {
            let zone = try #require(TimeZone(identifier: identifier))
            for step in 0..<200 {
                let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(step) * 86_399)
                #expect(RFC3339.parse(RFC3339.format(date, in: zone)) == date)
            }
        }
    }

    @Test func formatsFromManyTasksAtOnce() async throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<500).allSatisfy { step in
                        let date = Date(timeIntervalSince1970: 1_774_000_000 + Double(task * 500 + step) * 61)
                        return RFC3339.parse(RFC3339.format(date, in: zone)) == date
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
    }
}
