import Foundation
import Synchronization

/// Wakes one sleeping loop: rung by whoever has news (deliveries queued, a send finished), or by a timer
/// at the next due time. A ring with nobody waiting is kept, so news between two waits is never missed.
///
/// A lock rather than an actor: every finished send rings it, and ringing must not cost the sender a hop to
/// another executor (a dispatcher rings it thousands of times a second).
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait. Never suspends.
    func ring() {
        ring(if: { _ in true })
    }

    /// Returns at the first ring, at `deadline` (if given), or when the task is cancelled. With no ring and
    /// no deadline it sleeps without any timer: an idle dispatcher uses no CPU. One loop waits at a time.
    func wait(until deadline: Date?) async {
        let generation: UInt64? = state.withLock { state in
            if state.rung || Task.isCancelled {
                state.rung = false
                return nil
            }
            state.generation &+= 1
            return state.generation
        }
        guard let generation else { return }
        let timer = deadline.map { deadline in
            Task { [weak self] in
                let seconds = max(0, deadline.timeIntervalSinceNow)
                try? await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
                if !Task.isCancelled { self?.ring(ifStill: generation) }
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // A ring (or a cancellation, which rings) since the check above is not lost: it left `rung` set.
                let now = state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
        // A ring that came after the one that woke us stays set: the next wait returns at once, which
        // costs one spare look at the outbox rather than a missed delivery.
        timer?.cancel()
    }

    /// Rings for the timer of wait number `generation`, unless a later wait has begun since.
    private func ring(ifStill generation: UInt64) {
        ring(if: { $0.generation == generation })
    }

    /// Rings if `condition` holds, judged under the same lock as the ring itself.
    private func ring(if condition: (State) -> Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard condition(state) else { return nil }
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        // Resumed outside the lock: resuming enqueues the waiting task, which needs no lock of ours.
        waiter?.resume()
    }
}
