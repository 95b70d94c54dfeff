import Foundation

/// A cron schedule with exactly the syntax and fire times of the Python library cronsim 2.8
/// (Debian cron's rules), plus the `@hourly`-style macros.
///
/// Accepted: 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first;
/// `*`, numbers, lists, ranges, `/` steps, JAN–DEC and SUN–SAT in any case, day-of-week 0–7
/// (0 and 7 are Sunday), `L` and `LW` in day-of-month, `nL` and `n#k` in day-of-week. When
/// neither day field starts with `*`, a date matching either one matches (Debian's OR rule).
///
/// Where cronsim would give a time not after the start (a fixed-time job started inside a
/// repeated hour), the next one after it is returned; like cronsim, a search gives up (nil)
/// when nothing matches within 50 years of where it starts, e.g. `0 0 */31 * 1L`. Texts that
/// can never match in any month (`0 0 30 2 *`) are rejected as cronsim rejects them.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The source text, as given.
    public let description: String
    let schedule: CronSchedule

    /// Macros and their 5-field forms. cronsim itself has none; Herald adds them.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// Parses an expression, or throws an error naming the field, token and reason.
    public init(_ text: String) throws(CronSyntaxError) {
        description = text
        schedule = try Self.compile(text)
    }

    /// The first fire strictly after `date`, computed in `zone`; nil if there is none.
    public func nextFire(after date: Date, in zone: TimeZone) -> Date? {
        fires(after: date, in: zone, count: 1).first
    }

    /// The next `count` fires strictly after `date` (stops early if none remain).
    public func fires(after date: Date, in zone: TimeZone, count: Int) -> [Date] {
        guard count > 0 else { return [] }
        var walker = CronWalker(schedule: schedule, zone: zone, start: date)
        let after = date.timeIntervalSince1970
        var result: [Date] = []
        // Only a start inside a repeated hour makes cronsim go back, and then by under a day
        // of results; the cap just keeps a pathological case from spinning.
        var earlyResults = 0
        while result.count < count, let instant = walker.next() {
            if Double(instant) > after {
                result.append(Date(timeIntervalSince1970: Double(instant)))
            } else {
                earlyResults += 1
                if earlyResults > 100_000 { break }
            }
        }
        return result
    }

    /// Equal when written the same way; `0 0 * * *` and `@daily` are different expressions.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.description == rhs.description
    }

    /// Hashes the source text, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }

    // MARK: - Parsing the whole expression

    private static let shapeHint =
        "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first)"

    private static func compile(_ text: String) throws(CronSyntaxError) -> CronSchedule {
        let source = CronSource(text)
        let fields = source.fields()
        if fields.count == 1, source.upper[fields[0].lowerBound] == "@" {
            let name = source.text(fields[0]).lowercased()
            guard let expansion = macros[name] else {
                let known = macros.keys.sorted().joined(separator: " ")
                throw source.error(nil, fields[0], "is not a known macro: use one of \(known)")
            }
            return try compile(expansion)
        }
        guard let first = fields.first, let last = fields.last else {
            throw CronSyntaxError(field: nil, token: text, reason: "is empty: \(shapeHint)", column: 1)
        }
        if fields.count > 6 {
            throw source.error(nil, fields[6].lowerBound..<last.upperBound,
                "is more than 6 fields: \(shapeHint)")
        }
        if fields.count < 5 {
            throw source.error(nil, first.lowerBound..<last.upperBound,
                "has \(fields.count) field\(fields.count == 1 ? "" : "s"): \(shapeHint)")
        }
        let hasSeconds = fields.count == 6
        let offset = hasSeconds ? 0 : 1
        var values: [CronField: FieldValues] = [:]
        for field in CronField.allCases {
            if field == .second && !hasSeconds {
                var zero = FieldValues()
                zero.insert(0)
                values[field] = zero
                continue
            }
            let range = fields[field.rawValue - offset]
            values[field] = try CronFieldParser(source: source, field: field).parse(range)
        }
        let startsWithStar = { (field: CronField) in
            source.upper[fields[field.rawValue - offset].lowerBound] == "*"
        }
        let days = values[.dayOfMonth, default: FieldValues()]
        let weekdays = values[.dayOfWeek, default: FieldValues()]
        let schedule = CronSchedule(
            seconds: values[.second, default: FieldValues()].numbers,
            minutes: values[.minute, default: FieldValues()].numbers,
            hours: values[.hour, default: FieldValues()].numbers,
            days: days.numbers,
            lastDay: days.lastDay,
            lastWeekday: days.lastWeekday,
            months: values[.month, default: FieldValues()].numbers,
            weekdays: foldSunday(UInt8(truncatingIfNeeded: weekdays.numbers)),
            lastOfWeekday: foldSunday(weekdays.lastOfWeekday),
            nthOfWeekday: weekdays.nthOfWeekday.map(foldSunday),
            dayAnd: startsWithStar(.dayOfMonth) || startsWithStar(.dayOfWeek),
            usesWallClockDST: !hasSeconds && !startsWithStar(.minute) && !startsWithStar(.hour)
        )
        try checkDaysCanOccur(schedule, source: source, range: fields[CronField.dayOfMonth.rawValue - offset])
        return schedule
    }

    /// cronsim rejects a day-of-month that no chosen month is long enough for, when the day
    /// fields are ANDed (with OR the day-of-week can still match).
    private static func checkDaysCanOccur(
        _ schedule: CronSchedule, source: CronSource, range: Range<Int>
    ) throws(CronSyntaxError) {
        guard schedule.dayAnd, !schedule.lastDay, !schedule.lastWeekday else { return }
        let firstDay = schedule.days.trailingZeroBitCount
        guard firstDay > 29 else { return }
        // February counts as 29 days, as in cronsim.
        let longest = (1...12).filter { CronSchedule.has(schedule.months, $0) }
            .map { CivilCalendar.daysInMonth(year: 2000, month: $0) }.max() ?? 31
        if firstDay > longest {
            throw source.error(.dayOfMonth, range,
                "never occurs: the chosen months have at most \(longest) days")
        }
    }

    /// Day-of-week 7 is Sunday, like 0; dates are tested by `isoWeekday % 7`.
    private static func foldSunday(_ bits: UInt8) -> UInt8 {
        (bits & 0x7F) | (bits >> 7)
    }
}
