import Channels
import Foundation
import Store
import Synchronization

/// One send that has come back: what was sent, where, what came of it, and when.
struct FinishedSend: Sendable {
    var delivery: Delivery
    var destination: DestinationDefinition
    var report: SendReport
    /// When the reply (or the failure) came: what backoff and holds count from.
    var at: Date
}

/// Where sends leave their results for the dispatcher, which takes them all on its next turn.
///
/// A send hands its result over under a lock and, when the dispatcher asked to hear of that many results, rings its
/// ``Doorbell``, rather than calling into the dispatcher actor: that was a hop onto the actor (and back) for every
/// send, and the actor takes them in batches anyway. Waking the dispatcher for each result would cost a turn per
/// send while it can do nothing with fewer than a batch.
final class FinishedSends: Sendable {
    private struct State {
        var sends: [FinishedSend] = []
        /// How many waiting results make ``put(_:)`` ask for a ring.
        var wakeAt = 1
    }

    private let state = Mutex(State())

    /// Adds one result; returns whether the dispatcher should now be rung.
    func put(_ send: FinishedSend) -> Bool {
        state.withLock { state in
            state.sends.append(send)
            return state.sends.count >= state.wakeAt
        }
    }

    /// Every result added since the last call, in the order they came.
    func take() -> [FinishedSend] {
        state.withLock { state in
            let taken = state.sends
            state.sends = []
            return taken
        }
    }

    /// Asks to be rung once `count` results (at least one) wait; returns whether that many wait already.
    func wake(atCount count: Int) -> Bool {
        state.withLock { state in
            state.wakeAt = max(1, count)
            return state.sends.count >= state.wakeAt
        }
    }
}
