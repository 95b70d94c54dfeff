import Foundation
import ReportKit
import Testing

@Suite("ReportCalendar and DateWindow")
struct ReportCalendarTests {
    let london = ReportCalendar(timeZone: TimeZone(identifier: "Europe/London")!)

    func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    func day(_ text: String) -> LocalDate { LocalDate(parsing: text)! }
    func hours(_ window: DateWindow) -> Double { window.end.timeIntervalSince(window.start) / 3600 }

    @Test("a week containing the spring-forward Sunday runs Monday 00:00 to Monday 00:00 local: 167 hours")
    func springForwardWeek() {
        // BST began at 01:00 GMT on Sunday 30 March 2014.
        let w = london.window(.week, containing: instant("2014-03-26T12:00:00Z"))
        #expect(w.firstDay == day("2014-03-24"))
        #expect(w.lastDay == day("2014-03-30"))
        #expect(w.start == instant("2014-03-24T00:00:00Z"))
        #expect(w.end == instant("2014-03-30T23:00:00Z"))  // Monday 31 March 00:00 BST
        #expect(hours(w) == 167)
        #expect(w.label == "24 to 30 March 2014")
    }

    @Test("a week containing the fall-back Sunday is 169 hours")
    func fallBackWeek() {
        // GMT resumed at 02:00 BST on Sunday 26 October 2014.
        let w = london.window(.week, containing: instant("2014-10-22T12:00:00Z"))
        #expect(w.firstDay == day("2014-10-20"))
        #expect(w.start == instant("2014-10-19T23:00:00Z"))  // Monday 20 October 00:00 BST
        #expect(w.end == instant("2014-10-27T00:00:00Z"))
        #expect(hours(w) == 169)
    }

    @Test("the instants just inside and outside a DST week")
    func containsInstants() {
        let w = london.window(.week, containing: instant("2014-03-26T12:00:00Z"))
        #expect(w.contains(instant("2014-03-30T22:59:59Z")))
        #expect(!w.contains(instant("2014-03-30T23:00:00Z")))
        #expect(w.contains(instant("2014-03-24T00:00:00Z")))
        #expect(!w.contains(instant("2014-03-23T23:59:59Z")))
    }

    @Test("months and quarters across the transitions")
    func monthsAndQuarters() {
        let march = london.window(.month, containing: instant("2014-03-15T12:00:00Z"))
        #expect(march.firstDay == day("2014-03-01"))
        #expect(march.lastDay == day("2014-03-31"))
        #expect(hours(march) == 31 * 24 - 1)
        #expect(march.label == "March 2014")
        let october = london.window(.month, containing: instant("2014-10-15T12:00:00Z"))
        #expect(hours(october) == 31 * 24 + 1)
        let q1 = london.window(.quarter, containing: instant("2014-02-10T12:00:00Z"))
        #expect(q1.firstDay == day("2014-01-01"))
        #expect(q1.lastDay == day("2014-03-31"))
        #expect(q1.end == instant("2014-03-31T23:00:00Z"))
        #expect(q1.label == "January to March 2014")
        let q4 = london.window(.quarter, containing: instant("2014-11-10T12:00:00Z"))
        #expect(q4.firstDay == day("2014-10-01"))
        #expect(q4.lastDay == day("2014-12-31"))
        let year = london.window(.year, containing: instant("2014-06-01T12:00:00Z"))
        #expect(year.label == "2014")
        #expect(year.start == instant("2014-01-01T00:00:00Z"))
        #expect(year.end == instant("2015-01-01T00:00:00Z"))
    }

    @Test("the last N days are whole local days, whatever their length")
    func lastDays() {
        // Run at 09:00 BST on Monday 31 March 2014: the last 7 days are Monday 24 to Sunday 30 March.
        let w = london.lastComplete(.lastDays(7), before: instant("2014-03-31T08:00:00Z"))
        #expect(w.firstDay == day("2014-03-24"))
        #expect(w.lastDay == day("2014-03-30"))
        #expect(hours(w) == 167)
        let containing = london.window(.lastDays(3), containing: instant("2014-03-31T08:00:00Z"))
        #expect(containing.firstDay == day("2014-03-29"))
        #expect(containing.lastDay == day("2014-03-31"))
    }

    @Test("a run at 09:00 on 1 March reports February")
    func lastCompleteMonth() {
        let w = london.lastComplete(.month, before: instant("2014-03-01T09:00:00Z"))
        #expect(w.firstDay == day("2014-02-01"))
        #expect(w.lastDay == day("2014-02-28"))
        #expect(w.label == "February 2014")
        let leap = london.lastComplete(.month, before: instant("2012-03-01T09:00:00Z"))
        #expect(leap.lastDay == day("2012-02-29"))
    }

    @Test("last complete week, quarter, year and all time")
    func lastCompleteOthers() {
        let monday = instant("2014-03-10T09:00:00Z")
        #expect(london.lastComplete(.week, before: monday).firstDay == day("2014-03-03"))
        #expect(london.lastComplete(.week, before: monday).label == "3 to 9 March 2014")
        #expect(london.lastComplete(.quarter, before: instant("2014-04-01T08:00:00Z")).label == "January to March 2014")
        #expect(london.lastComplete(.year, before: instant("2014-01-01T09:00:00Z")).label == "2013")
        let all = london.lastComplete(.allTime, before: monday)
        #expect(all.lastDay == day("2014-03-09"))
        #expect(all.contains(day("2012")))
        #expect(all.label == "all time")
        #expect(london.previous(all) == nil)
    }

    @Test("the previous window is the same period just before")
    func previous() throws {
        let feb = london.lastComplete(.month, before: instant("2014-03-01T09:00:00Z"))
        let jan = try #require(london.previous(feb))
        #expect(jan.firstDay == day("2014-01-01"))
        #expect(jan.lastDay == day("2014-01-31"))
        let thirty = london.lastComplete(.lastDays(30), before: instant("2014-03-31T08:00:00Z"))
        let before = try #require(london.previous(thirty))
        #expect(before.lastDay == thirty.firstDay.adding(days: -1))
        #expect(before.firstDay == thirty.firstDay.adding(days: -30))
    }

    @Test("a job at 00:30 UTC on a summer Monday is already Monday in London")
    func summerMonday() {
        let t = instant("2014-07-07T00:30:00Z")  // 01:30 BST, Monday 7 July 2014
        #expect(london.localDate(of: t) == day("2014-07-07"))
        #expect(london.window(.week, containing: t).firstDay == day("2014-07-07"))
        #expect(london.lastComplete(.week, before: t).firstDay == day("2014-06-30"))
        let utc = ReportCalendar(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.window(.week, containing: t).firstDay == day("2014-07-07"))
        // …while at 23:30 UTC on a summer Sunday London has already reached Monday.
        #expect(london.localDate(of: instant("2014-07-06T23:30:00Z")) == day("2014-07-07"))
    }

    @Test("a job at 23:30 UTC on a winter Sunday is still Sunday in London")
    func winterSunday() {
        let t = instant("2014-01-12T23:30:00Z")
        #expect(london.localDate(of: t) == day("2014-01-12"))
        #expect(london.window(.week, containing: t).firstDay == day("2014-01-06"))
    }

    @Test("a partial date is in a window only when its whole span is")
    func containsPartialDates() {
        let feb2013 = london.window(.month, containingDay: day("2013-02-15"))
        #expect(feb2013.contains(day("2013-02-15")))
        #expect(feb2013.contains(day("2013-02")))
        #expect(!feb2013.contains(day("2013")))
        #expect(london.window(.year, containingDay: day("2013-02-15")).contains(day("2013")))
        #expect(!london.window(.quarter, containingDay: day("2013-02-15")).contains(day("2013")))
    }

    @Test("week labels across months and years")
    func weekLabels() {
        #expect(london.window(.week, containingDay: day("2014-02-26")).label == "24 February to 2 March 2014")
        #expect(london.window(.week, containingDay: day("2014-12-31")).label == "29 December 2014 to 4 January 2015")
    }

    @Test("period options parse and print", arguments: [
        ("week", ReportPeriod.week), ("month", .month), ("quarter", .quarter), ("year", .year),
        ("all", .allTime), ("last-30-days", .lastDays(30)),
    ])
    func periods(_ text: String, _ period: ReportPeriod) {
        #expect(ReportPeriod(text) == period)
        #expect(period.description == text)
    }

    @Test("bad period options are rejected", arguments: ["fortnight", "last-0-days", "last-x-days", ""])
    func badPeriods(_ text: String) {
        #expect(ReportPeriod(text) == nil)
    }
}
