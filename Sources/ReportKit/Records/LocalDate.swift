import Foundation

/// A calendar date that may be known only to the year or the month, with no time and no zone.
///
/// Programme facts are dates, not instants: a spin-out "on 1 April 2012" happened on that day
/// wherever you read it from. Storing it as an instant at local midnight would show it a day early
/// in another zone, so Herald keeps the fields and resolves them in a zone only when it compares
/// them with a run's window. 360Giving allows `YYYY`, `YYYY-MM` and `YYYY-MM-DD` in planned and
/// actual dates, and a date-time whose time "is never significant" in `awardDate`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// How much of the date is known.
    public enum Precision: Int, Sendable, Hashable, Comparable, Codable {
        /// Only the year is known (`2010`).
        case year
        /// The year and month are known (`2014-04`).
        case month
        /// The full date is known (`2012-04-01`).
        case day

        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The year, e.g. 2012.
    public let year: Int
    /// The month, 1–12, when known.
    public let month: Int?
    /// The day of the month, 1–31, when known (only when `month` is known too).
    public let day: Int?

    /// Creates a date; returns nil when the fields do not name a real date (e.g. 30 February).
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day {
                guard (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
            }
        } else if day != nil {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an RFC 3339 date-time whose time part is ignored
    /// (as 360Giving specifies for `awardDate`). Returns nil for anything else, such as `24/07/2014`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let datePart: Substring
        if let t = trimmed.firstIndex(where: { $0 == "T" || $0 == " " }), trimmed.distance(from: trimmed.startIndex, to: t) == 10 {
            datePart = trimmed[..<t]
        } else {
            datePart = Substring(trimmed)
        }
        let parts = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
            parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count else { return nil }
        self.init(year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
    }

    /// How much of the date is known.
    public var precision: Precision { day != nil ? .day : (month != nil ? .month : .year) }

    /// The date in ISO 8601 form at its own precision: `2012`, `2014-04` or `2012-04-01`.
    public var description: String {
        var s = String(format: "%04d", year)
        if let month { s += String(format: "-%02d", month) }
        if let day { s += String(format: "-%02d", day) }
        return s
    }

    /// The date as GOV.UK style writes it: "1 April 2012", "April 2014" or "2010".
    public var spelledOut: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        switch (month, day) {
        case let (m?, d?): return "\(d) \(names[m - 1]) \(year)"
        case let (m?, nil): return "\(names[m - 1]) \(year)"
        default: return "\(year)"
        }
    }

    /// The anniversary of this date in `year`, at the same precision.
    ///
    /// A 29 February date has its anniversary on 28 February in common years: the day the year
    /// is complete, as Foundation's own date arithmetic counts it. Herald uses this one rule everywhere.
    public func anniversary(in year: Int) -> LocalDate {
        var d = day
        if let m = month, let dd = day, m == 2, dd == 29, !LocalDate.isLeap(year) { d = 28 }
        return LocalDate(year: year, month: month, day: d)!
    }

    /// Orders by year, then month, then day; a less precise date sorts before a more precise one in the same span.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            guard let date = LocalDate(year: number) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a year")
            }
            self = date
            return
        }
        let text = try container.decode(String.self)
        guard let date = LocalDate(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
