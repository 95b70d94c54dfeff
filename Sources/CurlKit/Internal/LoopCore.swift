import CCurl
import Synchronization

/// The part of a client shared between calling tasks and the loop thread: the multi handle and a
/// mutex-protected inbox. Everything else about transfers lives on the loop thread (``CurlLoop``).
final class LoopCore: Sendable {
    enum Phase { case running, stopping, stopped }

    struct State {
        var phase = Phase.running
        /// Jobs submitted since the loop last looked.
        var inbox: [Job] = []
        /// Cancellations of live jobs since the loop last looked.
        var cancels: [UInt64] = []
        /// Jobs submitted and not yet finished by the loop.
        var live: Set<UInt64> = []
        /// Cancellations that arrived before their job was submitted (the task was cancelled between
        /// taking an id and submitting). `submit` consumes them; `forget` clears leftovers.
        var preCancelled: Set<UInt64> = []
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let configuration: CurlConfiguration
    let state = Mutex(State())
    private let ids = Atomic<UInt64>(0)

    /// The `CURLM*`. Safe to share although raw pointers are not `Sendable`: the loop thread is its
    /// only user, except `curl_multi_wakeup`, which libcurl documents as callable from any thread and
    /// which is only called under `state`'s lock while the phase is `running`. The loop frees the handle
    /// only after the phase has left `running`, so no wakeup can race with `curl_multi_cleanup`.
    nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    init(configuration: CurlConfiguration) {
        precondition(CurlGlobal.initialised, "curl_global_init failed")
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory)") }
        self.multi = multi
        self.configuration = configuration
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, configuration.connectionCacheSize))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, configuration.maximumConnectionsPerHost ?? 0))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    func nextID() -> UInt64 {
        ids.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Called from any thread

    /// Hands a job to the loop, or fails it at once if the client is shut down or the job was cancelled.
    func submit(_ job: Job) {
        enum Rejection { case shutdown, cancelled }
        // The URL is redacted only for a rejection, outside the lock: bursts of submissions contend for it with
        // the loop thread, so the lock is held for the bookkeeping alone.
        let rejection: Rejection? = state.withLock { state in
            guard state.phase == .running else { return .shutdown }
            if state.preCancelled.remove(job.id) != nil { return .cancelled }
            state.live.insert(job.id)
            state.inbox.append(job)
            curl_multi_wakeup(multi)
            return nil
        }
        switch rejection {
        case .shutdown: job.completion.fail(.shutdown(url: Redaction.url(job.work.url)))
        case .cancelled: job.completion.fail(.cancelled(url: Redaction.url(job.work.url)))
        case nil: break
        }
    }

    /// Asks the loop to abort job `id`. If the job is not live yet, remembers the cancellation so that
    /// `submit` refuses it; if it already finished, the leftover is removed by `forget`.
    func cancel(_ id: UInt64) {
        state.withLock { state in
            guard state.phase == .running else { return }  // the loop fails everything at shutdown anyway
            if state.live.contains(id) {
                state.cancels.append(id)
                curl_multi_wakeup(multi)
            } else {
                state.preCancelled.insert(id)
            }
        }
    }

    /// Called once the caller has its result, to drop a cancellation that arrived too late to matter.
    func forget(_ id: UInt64) {
        state.withLock { _ = $0.preCancelled.remove(id) }
    }

    /// Starts shutting down (once) and, if given, resumes `waiter` when the loop has stopped.
    func requestShutdown(waiter: CheckedContinuation<Void, Never>?) {
        let alreadyStopped: Bool = state.withLock { state in
            switch state.phase {
            case .stopped:
                return true
            case .running:
                state.phase = .stopping
                curl_multi_wakeup(multi)
            case .stopping:
                break
            }
            if let waiter { state.shutdownWaiters.append(waiter) }
            return false
        }
        if alreadyStopped { waiter?.resume() }
    }

    // MARK: Called from the loop thread

    struct Batch {
        var jobs: [Job]
        var cancels: Set<UInt64>
        var stopping: Bool
    }

    func takeBatch(finished: [UInt64]) -> Batch {
        state.withLock { state in
            for id in finished { state.live.remove(id) }
            let batch = Batch(jobs: state.inbox, cancels: Set(state.cancels), stopping: state.phase != .running)
            state.inbox.removeAll()
            state.cancels.removeAll()
            return batch
        }
    }

    /// Marks the loop as stopped and returns who is waiting for that.
    func markStopped() -> [CheckedContinuation<Void, Never>] {
        state.withLock { state in
            state.phase = .stopped
            state.live.removeAll()
            state.preCancelled.removeAll()
            defer { state.shutdownWaiters.removeAll() }
            return state.shutdownWaiters
        }
    }
}
