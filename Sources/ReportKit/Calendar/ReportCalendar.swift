import Foundation

/// Calendar arithmetic in a job's zone: local dates of instants, and report windows that stay
/// right across daylight-saving changes (a window is a run of whole local days, never a count of
/// 24-hour spans).
public struct ReportCalendar: Sendable {
    /// The zone windows are aligned to.
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// Creates a calendar for `timeZone`; weeks run Monday to Sunday.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_GB")
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        self.calendar = calendar
    }

    /// The local date of `instant` in the zone.
    public func localDate(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The first instant of local day `date` (midnight, or the first instant after a transition
    /// that skips midnight).
    public func startOfDay(_ date: LocalDate) -> Date {
        let first = date.firstDay
        let noon = calendar.date(from: DateComponents(year: first.year, month: first.month, day: first.day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// The window of `period` that contains `instant`.
    public func window(_ period: ReportPeriod, containing instant: Date) -> DateWindow {
        window(period, containingDay: localDate(of: instant))
    }

    /// The last complete window of `period` before `instant`: a run at 09:00 on 1 March reports
    /// February for `.month`, the previous Monday–Sunday for `.week`, and the days up to yesterday
    /// for `.lastDays` and `.allTime`.
    public func lastComplete(_ period: ReportPeriod, before instant: Date) -> DateWindow {
        let today = localDate(of: instant)
        switch period {
        case .allTime, .lastDays:
            return window(period, containingDay: today.adding(days: -1))
        default:
            return window(period, containingDay: window(period, containingDay: today).firstDay.adding(days: -1))
        }
    }

    /// The window of the same period just before `window`, for "change against the previous period";
    /// nil for `.allTime`, which has none.
    public func previous(_ window: DateWindow) -> DateWindow? {
        switch window.period {
        case .allTime: return nil
        case .lastDays(let n): return self.window(.lastDays(n), containingDay: window.firstDay.adding(days: -1))
        default: return self.window(window.period, containingDay: window.firstDay.adding(days: -1))
        }
    }

    /// The window of `period` that contains local day `day`.
    public func window(_ period: ReportPeriod, containingDay day: LocalDate) -> DateWindow {
        let d = day.firstDay
        let first: LocalDate, last: LocalDate
        switch period {
        case .week:
            first = d.adding(days: 1 - d.isoWeekday)
            last = first.adding(days: 6)
        case .month:
            first = LocalDate(year: d.year, month: d.month, day: 1)!
            last = LocalDate(year: d.year, month: d.month)!.lastDay
        case .quarter:
            let m = ((d.month! - 1) / 3) * 3 + 1
            first = LocalDate(year: d.year, month: m, day: 1)!
            last = LocalDate(year: d.year, month: m + 2)!.lastDay
        case .year:
            first = LocalDate(year: d.year, month: 1, day: 1)!
            last = LocalDate(year: d.year, month: 12, day: 31)!
        case .allTime:
            first = LocalDate(year: 1, month: 1, day: 1)!
            last = d
        case .lastDays(let n):
            first = d.adding(days: 1 - max(n, 1))
            last = d
        }
        let start = period == .allTime ? Date.distantPast : startOfDay(first)
        return DateWindow(period: period, firstDay: first, lastDay: last, start: start,
                          end: startOfDay(last.adding(days: 1)))
    }
}
