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
/// A send hands its result over under a lock and rings the dispatcher's ``Doorbell``, rather than calling into the
/// dispatcher actor: that was a hop onto the actor (and back) for every send, and the actor takes them in batches
/// anyway.
final class FinishedSends: Sendable {
    private let sends = Mutex<[FinishedSend]>([])

    /// Adds one result.
    func put(_ send: FinishedSend) {
        sends.withLock { $0.append(send) }
    }

    /// Every result added since the last call, in the order they came.
    func take() -> [FinishedSend] {
        sends.withLock { sends in
            let taken = sends
            sends = []
            return taken
        }
    }
}
