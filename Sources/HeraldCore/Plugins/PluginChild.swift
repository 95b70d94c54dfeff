import Foundation
import Logging
import PluginHost

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What became of one request sent to a child.
enum ChildOutcome: Sendable {
    case response(PluginResponse)
    /// The child wrote a line that is not the answer: why, and the line itself.
    case violation(reason: String, output: Data)
    /// The child ended; its last standard-error lines.
    case terminated(ChildTermination, stderr: [String])
    /// The deadline passed; the child's last standard-error lines.
    case timedOut(stderr: [String])
    case cancelled
    /// The child was already dead or killed before it could read the request: not the run's
    /// fault, so the pool may try another child.
    case notDelivered
}

/// One plugin-host process: writes requests, and reads its output on three dedicated threads
/// (standard output, standard error, `waitpid`) so blocking reads never occupy the cooperative pool.
///
/// The pool sends at most one request at a time to a child; everything that can answer it (a
/// line, the child's death, the deadline, cancellation) races to resolve the single pending
/// request under a lock, and the first wins.
final class PluginChild: Sendable {
    struct Settings: Sendable {
        var stderrTailLines: Int
        var backtraceGrace: Duration
        /// A longer line is a protocol violation rather than a reason to buffer without limit.
        var maxLineBytes = 64 << 20
    }

    let pid: pid_t
    private let process: SpawnedProcess
    private let settings: Settings
    private let logger: Logger
    private let state = ChildStateLock()
    /// Signalled once by each reader thread at end of file.
    private let drained = DispatchSemaphore(value: 0)

    private init(process: SpawnedProcess, settings: Settings, logger: Logger) {
        self.pid = process.pid
        self.process = process
        self.settings = settings
        var logger = logger
        logger[metadataKey: "plugin-host.pid"] = "\(process.pid)"
        self.logger = logger
    }

    deinit {
        if !state.withLock({ $0.inputClosed }) { closeDescriptor(process.input) }
    }

    /// Starts a child and waits for its `hello`.
    static func launch(configuration: PluginPoolConfiguration, logger: Logger) async throws(PluginRunError)
        -> (PluginChild, HelloMessage)
    {
        let environment = ProcessInfo.processInfo.environment.merging(configuration.environment) { _, new in new }
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess.spawn(executable: configuration.executable.path,
                                               arguments: configuration.arguments, environment: environment)
        } catch {
            throw PluginRunError(code: .unavailable, plugin: "", message: "\(error)")
        }
        let settings = Settings(stderrTailLines: configuration.stderrTailLines, backtraceGrace: configuration.backtraceGrace)
        let child = PluginChild(process: process, settings: settings, logger: logger)
        let outcome = await child.exchange(id: PluginProtocol.helloID, line: nil, plugin: nil,
                                           deadline: .now + configuration.startTimeout)
        if case .response(let response) = outcome, case .hello(let hello) = response.body {
            return (child, hello)
        }
        child.kill()
        child.closeInput()
        var error = PluginRunError.failure(of: outcome, plugin: "", subject: "starting \(configuration.executable.lastPathComponent)",
                                           pid: child.pid, deadline: configuration.startTimeout)
        error.message = "plugin host did not start: " + error.message
        throw error
    }

    /// Sends `line` (or nothing, for the hello) and waits for the answer to request `id`.
    func exchange(id: UInt64, line: Data?, plugin: String?, deadline: ContinuousClock.Instant) async -> ChildOutcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ChildOutcome, Never>) in
                let early: ChildOutcome? = state.withLock { state in
                    if state.reaped || state.killed { return .notDelivered }
                    if Task.isCancelled { return .cancelled }
                    state.pending = PendingRequest(id: id, continuation: continuation)
                    state.plugin = plugin
                    return nil
                }
                if let early { return continuation.resume(returning: early) }
                startThreadsOnce()
                if let line, !process.write(line) {
                    // The child's end is closed: it died (or was killed) before this request.
                    return resolve(id: id, with: .notDelivered)
                }
                let timer = Task { [self] in
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    if !Task.isCancelled { await deadlinePassed(id: id) }
                }
                let keep = state.withLock { state in
                    guard state.pending?.id == id else { return false }
                    state.pending?.timer = timer
                    return true
                }
                if !keep { timer.cancel() }
            }
        } onCancel: {
            resolve(id: id, with: .cancelled)
        }
    }

    /// Kills the child with SIGKILL unless it has already been reaped (its pid may then be reused).
    func kill() {
        state.withLock { state in
            guard !state.reaped else { return }
            state.killed = true
            sendSignal(SIGKILL, to: pid)
        }
    }

    /// Closes the child's standard input, which asks a healthy child to exit. Only call it when no
    /// request is being written: the pool never does both for one child.
    func closeInput() {
        let close = state.withLock { state in
            defer { state.inputClosed = true }
            return !state.inputClosed
        }
        if close { closeDescriptor(process.input) }
    }

    /// Waits for the child to end, at most `timeout` (nil: for as long as it takes); nil if it is still running.
    func termination(within timeout: Duration?) async -> ChildTermination? {
        let token = state.withLock { state in
            defer { state.nextWaiterToken += 1 }
            return state.nextWaiterToken
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<ChildTermination?, Never>) in
            let ended: ChildTermination? = state.withLock { state in
                if let termination = state.termination { return termination }
                state.terminationWaiters[token] = continuation
                return nil
            }
            if let ended { return continuation.resume(returning: ended) }
            guard let timeout else { return }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let waiter = state.withLock { $0.terminationWaiters.removeValue(forKey: token) }
                waiter?.resume(returning: nil)
            }
        }
    }

    /// The child's most recent standard-error lines.
    var stderrTail: [String] { state.withLock { $0.stderrTail } }

    // MARK: - Resolution

    private func resolve(id: UInt64?, with outcome: ChildOutcome) {
        let pending = state.withLock { state -> PendingRequest? in
            guard let pending = state.pending, id == nil || pending.id == id else { return nil }
            state.pending = nil
            state.plugin = nil
            return pending
        }
        pending?.timer?.cancel()
        pending?.continuation.resume(returning: outcome)
    }

    private func deadlinePassed(id: UInt64) async {
        // A Swift crash writes its backtrace before the process dies; give it time to finish so
        // the run fails as the crash it is, with the backtrace, not as a timeout.
        if state.withLock({ $0.crashing && $0.pending?.id == id }) {
            try? await Task.sleep(for: settings.backtraceGrace)
        }
        resolve(id: id, with: .timedOut(stderr: stderrTail))
    }

    // MARK: - Reader threads

    private func startThreadsOnce() {
        let start = state.withLock { state in
            defer { state.threadsStarted = true }
            return !state.threadsStarted
        }
        guard start else { return }
        for (name, body) in [("stdout", readOutput), ("stderr", readErrors), ("wait", awaitExit)] as [(String, @Sendable () -> Void)] {
            let thread = Thread(block: body)
            thread.name = "plugin-host-\(pid)-\(name)"
            thread.start()
        }
    }

    private func readOutput() {
        var reader = FileLineReader(fd: process.output, maxLineBytes: settings.maxLineBytes)
        while let line = reader.next() {
            switch line {
            case .line(let data): handleOutputLine(data)
            case .tooLong(let prefix):
                violation(reason: "wrote a line longer than \(settings.maxLineBytes) bytes", output: prefix)
            }
        }
        close(process.output)
        drained.signal()
    }

    private func handleOutputLine(_ line: Data) {
        let expected = state.withLock { $0.pending?.id }
        guard let expected else {
            violation(reason: "wrote output while no request was pending", output: line)
            return
        }
        let response: PluginResponse
        do {
            response = try PluginProtocol.decodeLine(PluginResponse.self, from: line)
        } catch {
            return violation(reason: "wrote a line that is not the plugin protocol", output: line)
        }
        guard response.version == PluginProtocol.version else {
            return violation(reason: "speaks protocol version \(response.version), not \(PluginProtocol.version)", output: line)
        }
        guard response.id == expected else {
            return violation(reason: "answered request \(response.id) while \(expected) was pending", output: line)
        }
        resolve(id: expected, with: .response(response))
    }

    /// Fails the pending request, or, when the child is idle, kills it (the pool then replaces it).
    private func violation(reason: String, output: Data) {
        let (hadPending, alreadyKilled) = state.withLock { ($0.pending != nil, $0.killed) }
        if hadPending {
            resolve(id: nil, with: .violation(reason: reason, output: output))
        } else if !alreadyKilled {
            logger.error("plugin host \(reason); killing it", metadata: ["output": "\(PluginRunError.excerpt(output))"])
            kill()
        }
    }

    private func readErrors() {
        var reader = FileLineReader(fd: process.error, maxLineBytes: 64 << 10)
        while let line = reader.next() {
            let data: Data
            switch line {
            case .line(let bytes): data = bytes
            case .tooLong(let prefix): data = prefix
            }
            let text = String(decoding: data, as: UTF8.self)
            let (plugin, crashing) = state.withLock { state in
                if Self.crashMarkers.contains(where: { text.contains($0) }) { state.crashing = true }
                state.stderrTail.append(text)
                if state.stderrTail.count > settings.stderrTailLines { state.stderrTail.removeFirst() }
                return (state.plugin, state.crashing)
            }
            var metadata: Logger.Metadata = [:]
            if let plugin { metadata["plugin"] = "\(plugin)" }
            logger.log(level: crashing ? .error : .info, "\(text)", metadata: metadata)
        }
        close(process.error)
        drained.signal()
    }

    /// Text the Swift runtime writes when a process traps, before the backtrace.
    private static let crashMarkers = ["Fatal error:", "*** Signal ", "*** Program crashed", "💣 Program crashed"]

    private func awaitExit() {
        let termination = process.waitForExit()
        state.withLock { $0.reaped = true }
        // Let both readers reach end of file so the backtrace is complete; bounded, because a
        // grandchild that inherited the pipes could keep them open.
        let grace = DispatchTime.now() + .milliseconds(settings.backtraceGrace.wholeMilliseconds)
        _ = drained.wait(timeout: grace)
        _ = drained.wait(timeout: grace)
        let (tail, waiters, killed) = state.withLock { state in
            state.termination = termination
            defer { state.terminationWaiters = [:] }
            return (state.stderrTail, Array(state.terminationWaiters.values), state.killed)
        }
        if !killed {
            logger.debug("plugin host \(termination)")
        }
        resolve(id: nil, with: .terminated(termination, stderr: tail))
        for waiter in waiters { waiter.resume(returning: termination) }
    }
}

// At file scope these names reach the C functions, not PluginChild's methods of the same name.
private func sendSignal(_ signal: Int32, to pid: pid_t) { _ = kill(pid, signal) }
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// The one request a child is serving.
struct PendingRequest: Sendable {
    var id: UInt64
    var continuation: CheckedContinuation<ChildOutcome, Never>
    var timer: Task<Void, Never>?
}

/// The mutable state of a ``PluginChild``, shared by its reader threads and the tasks that use it.
struct ChildState: Sendable {
    var pending: PendingRequest?
    /// The plugin being run, for log metadata.
    var plugin: String?
    var stderrTail: [String] = []
    /// Set once the child prints the runtime's crash banner.
    var crashing = false
    var killed = false
    var reaped = false
    var inputClosed = false
    var threadsStarted = false
    var termination: ChildTermination?
    var terminationWaiters: [UInt64: CheckedContinuation<ChildTermination?, Never>] = [:]
    var nextWaiterToken: UInt64 = 0
}

/// A lock around ``ChildState``.
///
/// `@unchecked Sendable` is safe because `value` is only read or written inside `withLock`,
/// under `lock`. (Not `Synchronization.Mutex`: it needs macOS 15 and the package supports 14.)
final class ChildStateLock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ChildState()

    func withLock<Result>(_ body: (inout ChildState) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
