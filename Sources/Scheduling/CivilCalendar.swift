/// Proleptic Gregorian arithmetic on day numbers (days since 1970-01-01).
///
/// The cron walker asks for the year, month, day and weekday of wall-clock times many
/// thousands of times per search; doing it with integer formulas instead of `Calendar`
/// keeps a search in microseconds and free of locale or shared state.
enum CivilCalendar {
    /// Seconds in a civil day; wall-clock times are counted in these.
    static let secondsPerDay: Int64 = 86_400

    /// The day number of a civil date (Howard Hinnant's `days_from_civil`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number (Howard Hinnant's `civil_from_days`).
    static func date(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday (Python's `isoweekday()`).
    static func isoWeekday(dayNumber: Int) -> Int {
        // Day 0 (1970-01-01) was a Thursday.
        ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Floor division, because wall-clock seconds before 1970 are negative.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The remainder that goes with `floorDiv`, always in `0..<b` for positive `b`.
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }
}

/// A wall-clock reading counted in seconds since 1970-01-01T00:00 *local* time, split on demand.
///
/// Python's naive `datetime` is what cronsim walks on; this is its integer equivalent.
struct WallClock {
    var seconds: Int64

    var dayNumber: Int { Int(CivilCalendar.floorDiv(seconds, CivilCalendar.secondsPerDay)) }
    var secondOfDay: Int64 { CivilCalendar.floorMod(seconds, CivilCalendar.secondsPerDay) }
    var hour: Int { Int(secondOfDay / 3600) }
    var minute: Int { Int(secondOfDay / 60 % 60) }
    var second: Int { Int(secondOfDay % 60) }
    var date: (year: Int, month: Int, day: Int) { CivilCalendar.date(dayNumber: dayNumber) }

    init(seconds: Int64) { self.seconds = seconds }

    /// Midnight at the start of a day number, as `datetime.combine(date, time())` gives.
    init(midnightOf dayNumber: Int) { seconds = Int64(dayNumber) * CivilCalendar.secondsPerDay }
}
