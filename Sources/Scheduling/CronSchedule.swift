/// A parsed expression reduced to what the walker tests: bit sets per field, plus the two
/// flags that change cronsim's behaviour (the day OR rule and Debian's DST policy).
struct CronSchedule: Sendable, Hashable {
    var seconds: UInt64
    var minutes: UInt64
    var hours: UInt64
    /// Day-of-month numbers as bits 1–31.
    var days: UInt64
    var lastDay: Bool
    var lastWeekday: Bool
    /// Months as bits 1–12.
    var months: UInt64
    /// Day-of-week items with 7 folded onto 0, so bit `isoWeekday % 7` tests a date.
    var weekdays: UInt8
    var lastOfWeekday: UInt8
    var nthOfWeekday: [UInt8]
    /// Debian cron's rule, kept by cronsim: when either day field starts with `*` both must
    /// match; otherwise a date matching either one is enough.
    var dayAnd: Bool
    /// cronsim's `fixup_tz`: 5-field expressions whose minute and hour fields don't start
    /// with `*` are walked on naive wall-clock time, so a time skipped by spring-forward
    /// fires once at the transition and a repeated time fires once.
    var usesWallClockDST: Bool

    /// cronsim's single-value shortcuts jump straight to the value instead of stepping, and
    /// the jump can land differently across a DST change, so the shortcut is mirrored.
    var singleSecond: Int? { seconds.nonzeroBitCount == 1 ? seconds.trailingZeroBitCount : nil }
    var singleMinute: Int? { minutes.nonzeroBitCount == 1 ? minutes.trailingZeroBitCount : nil }

    static func has(_ bits: UInt64, _ number: Int) -> Bool {
        bits & (1 << UInt64(number)) != 0
    }

    /// Whether a date (by day number) passes the day-of-month and day-of-week fields.
    func matchesDay(_ dayNumber: Int) -> Bool {
        let (year, month, day) = CivilCalendar.date(dayNumber: dayNumber)
        let lengthOfMonth = CivilCalendar.daysInMonth(year: year, month: month)
        let dayOfMonthMatches = matchesDayOfMonth(dayNumber: dayNumber, day: day, lengthOfMonth: lengthOfMonth)
        if dayAnd && !dayOfMonthMatches {
            return false
        }
        if !dayAnd && dayOfMonthMatches {
            return true
        }
        return matchesDayOfWeek(dayNumber: dayNumber, day: day, lengthOfMonth: lengthOfMonth)
    }

    private func matchesDayOfMonth(dayNumber: Int, day: Int, lengthOfMonth: Int) -> Bool {
        if Self.has(days, day) {
            return true
        }
        if lastWeekday && day >= 26 {
            // The last Monday-to-Friday day: the month's last day, pulled back off a weekend.
            let lastDate = dayNumber + (lengthOfMonth - day)
            let target: Int
            switch CivilCalendar.isoWeekday(dayNumber: lastDate) {
            case 7: target = lengthOfMonth - 2
            case 6: target = lengthOfMonth - 1
            default: target = lengthOfMonth
            }
            if day == target {
                return true
            }
        }
        return lastDay && day == lengthOfMonth
    }

    private func matchesDayOfWeek(dayNumber: Int, day: Int, lengthOfMonth: Int) -> Bool {
        let bit = UInt8(1) << UInt8(CivilCalendar.isoWeekday(dayNumber: dayNumber) % 7)
        if weekdays & bit != 0 {
            return true
        }
        if lastOfWeekday & bit != 0 && day + 7 > lengthOfMonth {
            return true
        }
        return nthOfWeekday[(day + 6) / 7 - 1] & bit != 0
    }
}
