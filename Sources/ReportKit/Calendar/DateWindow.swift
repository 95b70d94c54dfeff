import Foundation

/// A span of whole local days in a zone, e.g. "February 2014" in Europe/London, with the instants
/// that bound it.
public struct DateWindow: Sendable, Hashable, CustomStringConvertible {
    /// The period this window is one of.
    public let period: ReportPeriod
    /// The first local day in the window.
    public let firstDay: LocalDate
    /// The last local day in the window (inclusive).
    public let lastDay: LocalDate
    /// The instant the window starts: local midnight at the start of `firstDay`.
    public let start: Date
    /// The instant just after the window: local midnight at the end of `lastDay` (exclusive).
    public let end: Date

    /// Whether `instant` falls inside the window.
    public func contains(_ instant: Date) -> Bool { instant >= start && instant < end }

    /// Whether the whole span of `date` falls inside the window: a day-precision date when that day
    /// does, a month-precision date when every day of that month does.
    public func contains(_ date: LocalDate) -> Bool { date.firstDay >= firstDay && date.lastDay <= lastDay }

    /// The window as a reader would say it: "February 2014", "3 to 9 March 2014",
    /// "January to March 2014", "2014", "all time".
    public var label: String {
        switch period {
        case .month: return LocalDate(year: firstDay.year, month: firstDay.month)!.spelledOut
        case .year: return "\(firstDay.year)"
        case .allTime: return "all time"
        case .quarter:
            let first = LocalDate(year: firstDay.year, month: firstDay.month)!.spelledOut.split(separator: " ")[0]
            return "\(first) to \(LocalDate(year: lastDay.year, month: lastDay.month)!.spelledOut)"
        case .week, .lastDays: return DateWindow.range(firstDay, lastDay)
        }
    }

    /// "3 to 9 March 2014", "24 February to 2 March 2014", "29 December 2014 to 4 January 2015".
    static func range(_ a: LocalDate, _ b: LocalDate) -> String {
        if a == b { return a.spelledOut }
        let aParts = a.spelledOut.split(separator: " ")
        if a.year != b.year { return "\(a.spelledOut) to \(b.spelledOut)" }
        if a.month != b.month { return "\(aParts[0]) \(aParts[1]) to \(b.spelledOut)" }
        return "\(aParts[0]) to \(b.spelledOut)"
    }

    /// `firstDay` to `lastDay` as ISO dates, e.g. "2014-02-01..2014-02-28".
    public var description: String { "\(firstDay)..\(lastDay)" }
}
