import Foundation
import Scheduling
import Testing

/// What cron text is accepted and what it means; behaviour checked against cronsim 2.8.
struct CronParsingTests {
    @Test(arguments: [
        "*/5 * * * *", "1-10/2 * * * *", "5/15 * * * *", "0 0 * JAN-mar mon-FRI", "0 0 * * 7",
        "0 0 L * *", "0 0 lw * *", "0 0 * * 5l", "0 0 * * MON#2", "0 0 * * 0L", "0 0 L/3 * *",
        "*/10 * * * * *", "0 0 31 4,6 1", "  0\t0 *  * *  ", "0 0 1 * ſun",
    ])
    func accepts(_ text: String) throws {
        let expression = try CronExpression(text)
        #expect(expression.description == text)
    }

    @Test(arguments: [
        ("61 * * * *", "minute", "61", 1, "is out of range 0-59"),
        ("* 24 * * *", "hour", "24", 3, "is out of range 0-23"),
        ("* * 32 * *", "day-of-month", "32", 5, "is out of range 1-31"),
        ("* * * 13 *", "month", "13", 7, "is out of range 1-12"),
        ("* * * * 8", "day-of-week", "8", 9, "is out of range 0-7"),
        ("60 * * * * *", "second", "60", 1, "is out of range 0-59"),
        ("1,61 * * * *", "minute", "61", 3, "is out of range 0-59"),
        ("0 1-30 * * *", "hour", "30", 5, "is out of range 0-23"),
    ])
    func rejectsOutOfRange(_ text: String, field: String, token: String, column: Int, reason: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.field == field)
        #expect(error.token == token)
        #expect(error.column == column)
        #expect(error.reason == reason)
    }

    @Test func describesTheErrorForPeople() throws {
        let error = try #require(syntaxError("0 0 32 * *"))
        #expect(error.description == "day-of-month: '32' is out of range 1-31")
    }

    /// Texts cronsim rejects, and the field it blames.
    @Test(arguments: [
        ("* * ? * *", "day-of-month"), ("? * * * *", "minute"), ("0 0 15W * *", "day-of-month"),
        ("0 0 * * MON#6", "day-of-week"), ("0 0 * * 8L", "day-of-week"), ("0 0 * * L", "day-of-week"),
        ("*/0 * * * *", "minute"), ("5-1 * * * *", "minute"), ("0 0 30 2 *", "day-of-month"),
        ("0 0 31 4,6 *", "day-of-month"), ("0 0 * * MON-SUN", "day-of-week"), ("1,,2 * * * *", "minute"),
        ("* * * * 1-5L", "day-of-week"), ("0 0 * JANUARY *", "month"), ("0 L * * *", "hour"),
        ("0 0 * * 1#2/3", "day-of-week"), ("0 0 1#2 * *", "day-of-month"), ("-5 * * * *", "minute"),
    ])
    func rejectsWhatCronsimRejects(_ text: String, field: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.field == field, "\(error)")
    }

    @Test func pointsAtTheOffendingPartOfAList() throws {
        let error = try #require(syntaxError("0 0 * * MON,TUE#9"))
        #expect(error.token == "9")
        #expect(error.column == 17)
        let empty = try #require(syntaxError("1,,2 * * * *"))
        #expect(empty.token == "")
        #expect(empty.column == 3)
        #expect(empty.reason.contains("missing"))
    }

    @Test func hintsAtOtherDialects() throws {
        #expect(try #require(syntaxError("0 0 ? * *")).reason.contains("'*'"))
        #expect(try #require(syntaxError("0 0 15W * *")).reason.contains("LW"))
    }

    @Test(arguments: ["* * * *", "* * * * * * *", "", "   "])
    func rejectsTheWrongNumberOfFields(_ text: String) throws {
        let error = try #require(syntaxError(text))
        #expect(error.field == nil)
        #expect(error.reason.contains("5 fields"))
    }

    @Test func pointsAtTheFirstExtraField() throws {
        let error = try #require(syntaxError("* * * * * * extra"))
        #expect(error.token == "extra")
        #expect(error.column == 13)
    }

    @Test(arguments: [
        ("@hourly", "0 * * * *"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"), ("@monthly", "0 0 1 * *"), ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"), ("@DAILY", "0 0 * * *"),
    ])
    func macrosMeanTheirFiveFieldForms(_ macro: String, _ expansion: String) throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        let start = instant("2026-03-28T12:34:56Z")
        let expected = try CronExpression(expansion).fires(after: start, in: zone, count: 5)
        #expect(try CronExpression(macro).fires(after: start, in: zone, count: 5) == expected)
        #expect(try CronExpression(macro).description == macro)
    }

    @Test func rejectsUnknownMacros() throws {
        let error = try #require(syntaxError("@reboot"))
        #expect(error.field == nil)
        #expect(error.token == "@reboot")
        #expect(error.description.contains("@daily"))
    }

    @Test func stepsFollowCronsim() throws {
        // A single start runs to the field's maximum, however it is written.
        let expected = ["2026-01-01T00:05:00+00:00", "2026-01-01T00:20:00+00:00", "2026-01-01T00:35:00+00:00",
                        "2026-01-01T00:50:00+00:00", "2026-01-01T01:05:00+00:00"]
        #expect(try fireStrings("5/15 * * * *", "UTC", after: "2026-01-01T00:00:00Z", count: 5) == expected)
        #expect(try fireStrings("5-5/15 * * * *", "UTC", after: "2026-01-01T00:00:00Z", count: 5) == expected)
        // Day-of-week runs 0-7, so */2 is Sun, Tue, Thu, Sat (2026-01-01 is a Thursday).
        #expect(try fireStrings("0 0 * * */2", "UTC", after: "2026-01-01T00:00:00Z", count: 3) == [
            "2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00", "2026-01-06T00:00:00+00:00",
        ])
        // L/3 is just L.
        #expect(try fireStrings("0 0 L/3 * *", "UTC", after: "2026-01-01T00:00:00Z", count: 2) == [
            "2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00",
        ])
    }

    @Test func equalityIsByText() throws {
        #expect(try CronExpression("0 0 * * *") == CronExpression("0 0 * * *"))
        #expect(try CronExpression("0 0 * * *") != CronExpression("@daily"))
        #expect(try Set([CronExpression("@daily"), CronExpression("@daily")]).count == 1)
    }
}
