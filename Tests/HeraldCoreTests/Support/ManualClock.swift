import Foundation
import HeraldCore
import Synchronization

/// A wall clock the test moves by hand: sleeps end only when the test advances time past their
/// deadline, so months of schedule run in milliseconds and every wake-up is deterministic.
final class ManualClock: SchedulerClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<ClockWake, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(_ start: Date) { state = Mutex(State(now: start)) }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(until deadline: Date) async throws -> ClockWake {
        let id = state.withLock { s -> UInt64 in
            defer { s.nextID += 1 }
            return s.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resumeNow = state.withLock { s -> Bool in
                    if s.now >= deadline { return true }
                    s.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume(returning: .reached) }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward to `date`, waking the sleepers whose deadline has come.
    func advance(to date: Date) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = max(s.now, date)
            let ids = s.sleepers.filter { $0.value.deadline <= s.now }.map(\.key)
            return ids.compactMap { s.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume(returning: .reached) }
    }

    /// Sets the clock to `date` as an NTP step or a manual change would (either direction), waking every sleeper.
    func set(to date: Date) {
        let all = state.withLock { s -> [Sleeper] in
            s.now = date
            defer { s.sleepers = [:] }
            return Array(s.sleepers.values)
        }
        for sleeper in all { sleeper.continuation.resume(returning: .clockChanged) }
    }

    /// Waits until someone sleeps on a deadline after the current time, and returns that deadline.
    func nextSleeperDeadline(timeout: Duration = .seconds(10)) async throws -> Date {
        let start = ContinuousClock.now
        while true {
            if let deadline = state.withLock({ s in s.sleepers.values.map(\.deadline).filter { $0 > s.now }.min() }) {
                return deadline
            }
            if ContinuousClock.now - start > timeout { throw TimeoutError() }
            try await Task.sleep(for: .microseconds(200))
        }
    }

    struct TimeoutError: Error {}
}
