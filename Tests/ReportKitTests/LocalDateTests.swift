import Foundation
import ReportKit
import Testing

@Suite("LocalDate")
struct LocalDateTests {
    @Test("parses the three precisions 360Giving allows")
    func parsesPrecisions() throws {
        let day = try #require(LocalDate(parsing: "2012-04-01"))
        #expect(day == LocalDate(year: 2012, month: 4, day: 1))
        #expect(day.precision == .day)
        #expect(LocalDate(parsing: "2014-04")?.precision == .month)
        #expect(LocalDate(parsing: "2010")?.precision == .year)
        #expect(LocalDate(parsing: "2010")?.description == "2010")
        #expect(LocalDate(parsing: "2014-04")?.description == "2014-04")
    }

    @Test("a date-time keeps only its date, as 360Giving says the time is never significant")
    func parsesDateTime() {
        #expect(LocalDate(parsing: "2020-11-03T00:00:00+00:00") == LocalDate(year: 2020, month: 11, day: 3))
        #expect(LocalDate(parsing: "2013-02-15T23:30:00Z") == LocalDate(year: 2013, month: 2, day: 15))
    }

    @Test("rejects what is not an ISO date", arguments: [
        "24/07/2014", "2013-02-29", "2014-13", "2014-00-10", "2014-4-1", "14-04-01", "", "April 2014",
        "2014-04-31", "2014-04-01x", "２０１４",
    ])
    func rejects(_ text: String) {
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test("29 February 2012 is a date, 29 February 2013 is not")
    func leapDays() {
        #expect(LocalDate(year: 2012, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2013, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
    }

    @Test("a 29 February anniversary falls on 28 February in common years")
    func leapDayAnniversary() {
        let leap = LocalDate(year: 2012, month: 2, day: 29)!
        #expect(leap.anniversary(in: 2013) == LocalDate(year: 2013, month: 2, day: 28))
        #expect(leap.anniversary(in: 2015) == LocalDate(year: 2015, month: 2, day: 28))
        #expect(leap.anniversary(in: 2016) == LocalDate(year: 2016, month: 2, day: 29))
        #expect(LocalDate(year: 2012, month: 4, day: 1)!.anniversary(in: 2013) == LocalDate(year: 2013, month: 4, day: 1))
        #expect(LocalDate(year: 2014, month: 4)!.anniversary(in: 2015) == LocalDate(year: 2015, month: 4))
    }

    @Test("whole years count the 28 February of a common year as completing a 29 February year")
    func wholeYears() {
        let leap = LocalDate(year: 2012, month: 2, day: 29)!
        #expect(leap.wholeYears(until: LocalDate(year: 2013, month: 2, day: 27)!) == 0)
        #expect(leap.wholeYears(until: LocalDate(year: 2013, month: 2, day: 28)!) == 1)
        #expect(leap.wholeYears(until: LocalDate(year: 2016, month: 2, day: 28)!) == 3)
        #expect(leap.wholeYears(until: LocalDate(year: 2016, month: 2, day: 29)!) == 4)
        let spiral = LocalDate(year: 2012, month: 4, day: 1)!
        #expect(spiral.wholeYears(until: LocalDate(year: 2013, month: 3, day: 31)!) == 0)
        #expect(spiral.wholeYears(until: LocalDate(year: 2013, month: 4, day: 1)!) == 1)
        #expect(spiral.wholeYears(until: LocalDate(year: 2019, month: 1, day: 31)!) == 6)
    }

    @Test("day arithmetic and weekdays ignore zones")
    func arithmetic() {
        let d = LocalDate(year: 2014, month: 3, day: 30)!
        #expect(d.adding(days: 1) == LocalDate(year: 2014, month: 3, day: 31))
        #expect(LocalDate(year: 2012, month: 2, day: 28)!.adding(days: 1) == LocalDate(year: 2012, month: 2, day: 29))
        #expect(LocalDate(year: 2014, month: 12, day: 31)!.adding(days: 1) == LocalDate(year: 2015, month: 1, day: 1))
        #expect(LocalDate(year: 2014, month: 3, day: 3)!.adding(days: -3) == LocalDate(year: 2014, month: 2, day: 28))
        #expect(LocalDate(year: 2014, month: 3, day: 3)!.isoWeekday == 1)  // a Monday
        #expect(LocalDate(year: 2014, month: 3, day: 9)!.isoWeekday == 7)  // a Sunday
        #expect(LocalDate(year: 1970, month: 1, day: 1)!.isoWeekday == 4)
    }

    @Test("spans and ordering of partial dates")
    func spans() {
        let month = LocalDate(year: 2012, month: 2)!
        #expect(month.firstDay == LocalDate(year: 2012, month: 2, day: 1))
        #expect(month.lastDay == LocalDate(year: 2012, month: 2, day: 29))
        #expect(LocalDate(year: 2012)!.lastDay == LocalDate(year: 2012, month: 12, day: 31))
        #expect(LocalDate(year: 2012)! < LocalDate(year: 2012, month: 1, day: 1)!)
        #expect(LocalDate(year: 2012, month: 4, day: 1)!.spelledOut == "1 April 2012")
        #expect(LocalDate(year: 2014, month: 4)!.spelledOut == "April 2014")
    }

    @Test("decodes from JSON strings and year numbers, and encodes at its own precision")
    func codable() throws {
        let decoded = try JSONDecoder().decode([LocalDate].self, from: Data(#"["2012-04-01", "2014-04", 2010]"#.utf8))
        #expect(decoded == [LocalDate(year: 2012, month: 4, day: 1)!, LocalDate(year: 2014, month: 4)!, LocalDate(year: 2010)!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["24/07/2014"]"#.utf8)) }
        let encoded = try JSONEncoder().encode([LocalDate(year: 2014, month: 4)!])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2014-04"]"#)
    }
}
