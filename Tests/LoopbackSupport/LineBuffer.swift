import Foundation
import Synchronization

/// Lines from a child's stdout, handed to waiters as they arrive.
public final class LineBuffer: Sendable {
    private struct State {
        var partial = Data()
        var lines: [String] = []
        var closed = false
        var waiters: [(id: Int, continuation: CheckedContinuation<String?, Never>)] = []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    /// Creates an empty buffer.
    public init() {}

    /// Adds bytes read from the child; each complete line goes to the oldest waiter, or is kept.
    public func append(_ data: Data) {
        let ready: [(CheckedContinuation<String?, Never>, String)] = state.withLock { state in
            var ready: [(CheckedContinuation<String?, Never>, String)] = []
            state.partial.append(data)
            while let newline = state.partial.firstIndex(of: 10) {
                let line = String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self)
                state.partial = Data(state.partial[(newline + 1)...])
                if state.waiters.isEmpty {
                    state.lines.append(line)
                } else {
                    ready.append((state.waiters.removeFirst().continuation, line))
                }
            }
            return ready
        }
        for (continuation, line) in ready { continuation.resume(returning: line) }
    }

    /// The child closed its output: waiters get nil.
    public func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
    }

    /// The next line, or nil when the output closed or `timeout` passed.
    public func next(timeout: Duration) async -> String? {
        await withCheckedContinuation { continuation in
            let waiter: Int? = state.withLock { state in
                if !state.lines.isEmpty {
                    continuation.resume(returning: state.lines.removeFirst())
                    return nil
                }
                if state.closed {
                    continuation.resume(returning: nil)
                    return nil
                }
                state.nextWaiter += 1
                state.waiters.append((state.nextWaiter, continuation))
                return state.nextWaiter
            }
            guard let waiter else { return }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(waiter)
            }
        }
    }

    private func expire(_ id: Int) {
        let expired = state.withLock { state -> CheckedContinuation<String?, Never>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
        expired?.resume(returning: nil)
    }
}
