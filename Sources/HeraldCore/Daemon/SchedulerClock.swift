import Foundation

/// Why a scheduler's sleep ended.
public enum ClockWake: Sendable, Hashable {
    /// The wall clock reached the deadline.
    case reached
    /// The wall clock was set (an NTP step, a manual change, a resume): re-plan from the new time.
    case clockChanged
}

/// The wall clock as the scheduler sees it: what time it is, and a way to sleep until a time.
///
/// Cron fires at wall-clock times, so the scheduler sleeps on the wall clock rather than counting
/// elapsed seconds, and hears about it when the clock is set. Tests substitute a manual clock that
/// simulates months in milliseconds.
public protocol SchedulerClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends until the wall clock reaches `deadline` or is set; throws `CancellationError` when
    /// the calling task is cancelled.
    func sleep(until deadline: Date) async throws -> ClockWake
}
