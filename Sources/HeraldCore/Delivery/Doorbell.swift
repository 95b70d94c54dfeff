import Foundation

/// Wakes one sleeping loop: rung by whoever has news (deliveries queued, a send finished), or by a timer
/// at the next due time. A ring with nobody waiting is kept, so news between two waits is never missed.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation: UInt64 = 0

    /// Wakes the waiter, or the next one to wait.
    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the first ring, at `deadline` (if given), or when the task is cancelled. With no ring and
    /// no deadline it sleeps without any timer: an idle dispatcher uses no CPU.
    func wait(until deadline: Date?) async {
        if rung || Task.isCancelled {
            rung = false
            return
        }
        generation &+= 1
        let mine = generation
        let timer = deadline.map { deadline in
            Task { [weak self] in
                let seconds = max(0, deadline.timeIntervalSinceNow)
                try? await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
                if !Task.isCancelled { await self?.ring(ifStill: mine) }
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.ring() }
        }
        // A ring that came after the one that woke us stays set: the next wait returns at once, which
        // costs one spare look at the outbox rather than a missed delivery.
        timer?.cancel()
    }

    /// Rings from outside the actor without waiting.
    nonisolated func ringSoon() {
        Task { await self.ring() }
    }

    private func ring(ifStill generation: UInt64) {
        if generation == self.generation { ring() }
    }
}
