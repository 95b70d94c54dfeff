import Synchronization

/// Runs an action once nothing has happened for a while: each ``restart()`` puts it off again.
///
/// The daemon gives its executable's pages back after start-up and after each busy spell
/// (``ExecutablePages``); doing that between fires a second apart would only make each fire fault them in again.
final class QuietPeriod: Sendable {
    private let length: Duration
    private let action: @Sendable () async -> Void
    private let pending = Mutex<Task<Void, Never>?>(nil)

    /// `action` runs once `length` has passed since the last ``restart()``.
    init(_ length: Duration, action: @escaping @Sendable () async -> Void) {
        self.length = length
        self.action = action
    }

    /// Starts the quiet period again, calling off the action a previous one had pending.
    func restart() {
        let length = self.length, action = self.action
        let task = Task {
            guard (try? await Task.sleep(for: length)) != nil else { return }
            await action()
        }
        pending.withLock { previous in
            previous?.cancel()
            previous = task
        }
    }

    /// Calls off the pending action.
    func cancel() {
        pending.withLock { $0?.cancel() }
    }
}
