import CHeraldSystem
import Foundation

/// The system's wall clock. A sleep is a `CLOCK_REALTIME` timerfd armed for the absolute deadline
/// with `TFD_TIMER_CANCEL_ON_SET`, so an idle daemon makes no wake-ups at all until the next fire,
/// fires on time after a suspend, and re-plans the moment the clock is stepped.
public struct WallClock: SchedulerClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws -> ClockWake {
        try Task.checkCancellation()
        let timer = herald_realtime_timer()
        let wake = herald_eventfd()
        guard timer >= 0, wake >= 0 else {
            if timer >= 0 { close(timer) }
            if wake >= 0 { close(wake) }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let seconds = deadline.timeIntervalSince1970.rounded(.down)
        let nanoseconds = Int((deadline.timeIntervalSince1970 - seconds) * 1_000_000_000)
        guard herald_arm_timer(timer, Int64(seconds), max(0, min(nanoseconds, 999_999_999))) == 0 else {
            close(timer)
            close(wake)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        // The blocking wait runs on its own thread: it may last days, and must not hold a thread of
        // the cooperative pool. Cancellation signals the eventfd, which ends the wait at once.
        let result: Int32 = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: herald_wait_timer(timer, wake))
                }
                thread.name = "herald-wall-clock"
                thread.start()
            }
        } onCancel: {
            herald_signal_eventfd(wake)
        }
        // Closed only here: once the handler scope has ended, no cancellation can write to a
        // descriptor number the process may already have reused.
        close(timer)
        close(wake)
        switch result {
        case 0: return .reached
        case 1: return .clockChanged
        case 2: throw CancellationError()
        default: throw POSIXError(.EIO)
        }
    }
}
