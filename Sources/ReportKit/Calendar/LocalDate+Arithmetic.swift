import Foundation

extension LocalDate {
    /// Days since 1970-01-01 of a day-precision date (months and days default to the first).
    ///
    /// Pure civil-calendar arithmetic, with no zone involved, so adding days can never be thrown
    /// off by a 23- or 25-hour day.
    var dayNumber: Int {
        let m = month ?? 1, d = day ?? 1
        let y = m <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    /// The date `days` days later (earlier when negative), at day precision.
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The ISO weekday: 1 for Monday through 7 for Sunday (day-precision dates).
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The first day of the span this date covers (1 January for a year, the 1st for a month).
    public var firstDay: LocalDate { LocalDate(year: year, month: month ?? 1, day: day ?? 1)! }

    /// The last day of the span this date covers (31 December for a year, the month's last day for a month).
    public var lastDay: LocalDate {
        let m = month ?? 12
        return LocalDate(year: year, month: m, day: day ?? LocalDate.daysIn(month: m, year: year))!
    }

    /// Whole years from `self` to `later`, as an anniversary counts them (28 February completes a
    /// year begun on 29 February in a common year).
    public func wholeYears(until later: LocalDate) -> Int {
        var years = later.year - year
        if years > 0, later < anniversary(in: later.year) { years -= 1 }
        return years
    }
}
