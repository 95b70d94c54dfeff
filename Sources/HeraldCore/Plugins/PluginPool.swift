import Foundation
import Logging
import PluginHost
import ReportKit

/// Runs report plugins in a pool of persistent plugin-host child processes (`herald-plugins`).
///
/// Each child serves one run at a time; runs beyond the pool's size wait for a free child. A child
/// that crashes, passes a run's deadline, exits, or writes anything but the protocol is killed and
/// replaced (after a backoff that grows while the same slot keeps failing), and only the run it
/// was serving fails, with a ``PluginRunError`` naming the plugin and the cause. Children's
/// standard error goes to the logger, one line per entry, with `plugin-host.pid` and `plugin`.
///
/// ```swift
/// let pool = PluginPool(configuration: .init(executable: pluginHostURL), logger: logger)
/// try await pool.start()
/// let digest = try await pool.report(request, deadline: .seconds(30))
/// await pool.shutdown()
/// ```
public actor PluginPool {
    private enum Lifecycle { case idle, starting, running, shuttingDown, shutDown }

    private struct Slot {
        var child: PluginChild?
        var busy = false
        /// Failures in a row since the last run that completed here; drives the respawn backoff.
        var failures = 0
        var respawn: Task<Void, Never>?
    }

    /// What one child's start-up produced.
    private struct Launch: Sendable {
        var index: Int
        var child: PluginChild?
        var hello: HelloMessage?
        var error: PluginRunError?
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Int, any Error>
    }

    private let configuration: PluginPoolConfiguration
    private let logger: Logger
    private var lifecycle = Lifecycle.idle
    private var slots: [Slot]
    private var waiters: [Waiter] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var catalogue: [PluginDescription] = []
    private var nextRequestID: UInt64 = 1
    private var nextWaiterID: UInt64 = 1
    private var lastSpawnFailure: String?

    /// Creates a pool; no child runs until ``start()``.
    public init(configuration: PluginPoolConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.slots = Array(repeating: Slot(), count: configuration.size)
    }

    /// Starts every child and waits for each to say hello.
    ///
    /// - Throws: ``PluginRunError`` when a child cannot be started, does not say hello within
    ///   ``PluginPoolConfiguration/startTimeout``, or speaks another protocol version.
    public func start() async throws {
        guard lifecycle == .idle else {
            if lifecycle == .running { return }
            throw unavailable("the plugin pool cannot start: it is \(lifecycle)")
        }
        lifecycle = .starting
        let began = ContinuousClock.now
        var launched: [(Int, PluginChild, HelloMessage)] = []
        var failure: PluginRunError?
        // Each launch reports through a plain struct: a task group whose child tasks return a tuple
        // holding a Result, filled from a typed-throws `do`, returned a garbage index in release
        // builds of Swift 6.3.1 (seen with a pool of one).
        await withTaskGroup(of: Launch.self) { group in
            for index in slots.indices {
                group.addTask { [configuration, logger] in
                    do {
                        let (child, hello) = try await PluginChild.launch(configuration: configuration, logger: logger)
                        return Launch(index: index, child: child, hello: hello, error: nil)
                    } catch {
                        let failure = error as? PluginRunError
                            ?? PluginRunError(code: .unavailable, plugin: "", message: "cannot start the plugin host: \(error)")
                        return Launch(index: index, child: nil, hello: nil, error: failure)
                    }
                }
            }
            for await launch in group {
                if let child = launch.child, let hello = launch.hello {
                    launched.append((launch.index, child, hello))
                } else {
                    failure = failure ?? launch.error
                }
            }
        }
        if let failure {
            for (_, child, _) in launched {
                child.kill()
                child.closeInput()
            }
            lifecycle = .idle
            logger.error("\(failure.message)", metadata: ["detail": "\(failure.detail)"])
            throw failure
        }
        catalogue = launched.first?.2.plugins ?? []
        for (index, child, _) in launched { install(child, at: index) }
        lifecycle = .running
        logger.info("plugin pool started", metadata: [
            "children": "\(launched.map { "\($0.1.pid)" }.joined(separator: ","))",
            "plugins": "\(catalogue.map(\.name).joined(separator: ","))",
            "start-ms": "\((ContinuousClock.now - began).wholeMilliseconds)",
        ])
    }

    /// The plugins the children hold: name, version and summary, in registry order.
    public func plugins() async throws -> [PluginDescription] {
        guard lifecycle == .running else { throw unavailable("the plugin pool is not running") }
        return catalogue
    }

    /// Runs a report plugin in a free child.
    ///
    /// - Parameters:
    ///   - request: the plugin, the job, its options and the snapshot handle.
    ///   - deadline: how long the plugin may take once a child has the request;
    ///     ``PluginPoolConfiguration/defaultDeadline`` when nil. Waiting for a free child does not count.
    /// - Returns: the plugin's digest, possibly ``Digest/empty``.
    /// - Throws: ``PluginRunError``, or `CancellationError` when the calling task is cancelled
    ///   (a child serving a cancelled run is killed and replaced, as its state is unknown).
    public func report(_ request: ReportRequest, deadline: Duration? = nil) async throws -> Digest {
        switch try await send(.report(request), plugin: request.plugin, deadline: deadline ?? configuration.defaultDeadline) {
        case .digest(let digest): return digest
        case .error(let failure): throw PluginRunError.failure(failure, plugin: request.plugin)
        default: throw unexpectedAnswer(plugin: request.plugin)
        }
    }

    /// Checks that `options` decode into the plugin's `Options`, without running it.
    ///
    /// - Throws: ``PluginRunError`` with code ``PluginRunError/Code/badOptions`` and the path of
    ///   the offending option, or ``PluginRunError/Code/unknownPlugin``.
    public func validate(plugin: String, options: JSONValue) async throws {
        let request = ValidateRequest(plugin: plugin, options: options)
        switch try await send(.validate(request), plugin: plugin, deadline: configuration.defaultDeadline) {
        case .valid: return
        case .error(let failure): throw PluginRunError.failure(failure, plugin: plugin)
        default: throw unexpectedAnswer(plugin: plugin)
        }
    }

    /// Stops the pool: waiting runs fail as unavailable, runs in progress finish (each within its
    /// deadline), then every child is asked to exit and killed if it has not within two seconds.
    public func shutdown() async {
        guard lifecycle == .running || lifecycle == .idle else { return }
        lifecycle = .shuttingDown
        for waiter in waiters { waiter.continuation.resume(throwing: unavailable("the plugin pool is shutting down")) }
        waiters = []
        for index in slots.indices { slots[index].respawn?.cancel() }
        while slots.contains(where: \.busy) {
            await withCheckedContinuation { drainWaiters.append($0) }
        }
        let children = slots.compactMap(\.child)
        for index in slots.indices { slots[index].child = nil }
        for child in children { child.closeInput() }
        for child in children where await child.termination(within: .seconds(2)) == nil {
            logger.warning("plugin host did not exit after its input closed; killing it", metadata: ["plugin-host.pid": "\(child.pid)"])
            child.kill()
            _ = await child.termination(within: .seconds(2))
        }
        lifecycle = .shutDown
    }

    // MARK: - Runs

    private func send(_ body: PluginRequest.Body, plugin: String, deadline: Duration) async throws -> PluginResponse.Body {
        guard lifecycle == .running else { throw unavailable("the plugin pool is not running", plugin: plugin) }
        guard catalogue.contains(where: { $0.name == plugin }) else {
            let known = catalogue.map(\.name).joined(separator: ", ")
            throw PluginRunError(code: .unknownPlugin, plugin: plugin,
                                 message: "no plugin named '\(plugin)'; the plugin host has: \(known)")
        }
        // A child that died between runs is only noticed when a request cannot reach it; that
        // is not the run's fault, so it moves to another child (a few times at most).
        for attempt in 1... {
            let index = try await acquire(plugin: plugin)
            guard let child = slots[index].child else {
                release(index, healthy: false)
                continue
            }
            if Task.isCancelled {
                release(index, healthy: false)
                throw CancellationError()
            }
            let id = nextRequestID
            nextRequestID += 1
            let line: Data
            do {
                line = try PluginProtocol.encodeLine(PluginRequest(id: id, body: body))
            } catch {
                release(index, healthy: false)
                throw PluginRunError(code: .badRequest, plugin: plugin, message: "cannot encode the request: \(error)")
            }
            let began = ContinuousClock.now
            let outcome = await child.exchange(id: id, line: line, plugin: plugin, deadline: began + deadline)
            switch outcome {
            case .response(let response):
                switch response.body {
                case .digest, .valid, .error:
                    release(index, healthy: true)
                    logger.debug("plugin run finished", metadata: [
                        "plugin": "\(plugin)", "plugin-host.pid": "\(child.pid)",
                        "ms": "\((ContinuousClock.now - began).wholeMilliseconds)",
                    ])
                    return response.body
                default:
                    break
                }
            case .notDelivered where attempt < 3:
                logger.warning("plugin host had ended before a run reached it; trying another",
                               metadata: ["plugin": "\(plugin)", "plugin-host.pid": "\(child.pid)"])
                replace(index, child: child, failed: true)
                continue
            case .cancelled:
                child.kill()
                replace(index, child: child, failed: false)
                throw CancellationError()
            default:
                break
            }
            child.kill()
            let error = PluginRunError.failure(of: outcome, plugin: plugin, subject: "plugin '\(plugin)'", pid: child.pid,
                                               deadline: deadline)
            logger.error("\(error.message)", metadata: [
                "plugin": "\(plugin)", "plugin-host.pid": "\(child.pid)", "code": "\(error.code)", "detail": "\(error.detail)",
            ])
            replace(index, child: child, failed: true)
            throw error
        }
        fatalError("unreachable: the loop above only ends by returning or throwing")
    }

    /// A free slot's index, marked busy; waits (at most the queue timeout) when none is free.
    private func acquire(plugin: String) async throws -> Int {
        if let index = slots.indices.first(where: { !slots[$0].busy && slots[$0].child != nil }) {
            slots[index].busy = true
            return index
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let timeout = Task { [configuration] in
            try? await Task.sleep(for: configuration.queueTimeout)
            if !Task.isCancelled { self.expireWaiter(id, plugin: plugin) }
        }
        defer { timeout.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, continuation: continuation))
            }
        } onCancel: {
            Task { await self.removeWaiter(id, error: CancellationError()) }
        }
    }

    private func expireWaiter(_ id: UInt64, plugin: String) {
        var message = "no plugin host became free within \(configuration.queueTimeout)"
        if let lastSpawnFailure { message += "; the last attempt to start one failed: \(lastSpawnFailure)" }
        removeWaiter(id, error: unavailable(message, plugin: plugin))
    }

    private func removeWaiter(_ id: UInt64, error: any Error) {
        guard let position = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: position).continuation.resume(throwing: error)
    }

    /// Returns a slot whose child answered cleanly to the pool.
    private func release(_ index: Int, healthy: Bool) {
        slots[index].busy = false
        if healthy { slots[index].failures = 0 }
        offer(index)
    }

    /// Gives an idle slot to the longest-waiting run, or wakes a shutdown waiting for runs to end.
    private func offer(_ index: Int) {
        guard !slots[index].busy else { return }
        if lifecycle == .running, slots[index].child != nil, !waiters.isEmpty {
            slots[index].busy = true
            waiters.removeFirst().continuation.resume(returning: index)
        } else if !slots.contains(where: \.busy) {
            for waiter in drainWaiters { waiter.resume() }
            drainWaiters = []
        }
    }

    // MARK: - Children

    private func install(_ child: PluginChild, at index: Int) {
        slots[index].child = child
        Task { [weak self] in
            guard let termination = await child.termination(within: nil) else { return }
            await self?.childEnded(child, at: index, termination: termination)
        }
    }

    /// A child that dies between runs (killed from outside, or killed for writing while idle).
    private func childEnded(_ child: PluginChild, at index: Int, termination: ChildTermination) {
        guard lifecycle == .running, slots[index].child === child, !slots[index].busy else { return }
        logger.warning("plugin host ended between runs: \(termination)", metadata: [
            "plugin-host.pid": "\(child.pid)", "detail": "\(child.stderrTail.joined(separator: "\n"))",
        ])
        replace(index, child: child, failed: true)
    }

    /// Discards a slot's child and schedules a new one, after a backoff if it failed.
    private func replace(_ index: Int, child: PluginChild, failed: Bool) {
        guard slots[index].child === child else { return }
        slots[index].child = nil
        slots[index].busy = false
        child.closeInput()
        if failed { slots[index].failures += 1 }
        offer(index)
        guard lifecycle == .running else { return }
        scheduleRespawn(index, after: failed ? configuration.respawnDelay(afterFailures: slots[index].failures) : .zero)
    }

    private func scheduleRespawn(_ index: Int, after delay: Duration) {
        slots[index].respawn = Task {
            if delay > .zero { try? await Task.sleep(for: delay) }
            await self.respawn(index)
        }
    }

    private func respawn(_ index: Int) async {
        guard lifecycle == .running, slots[index].child == nil else { return }
        do throws(PluginRunError) {
            let (child, hello) = try await PluginChild.launch(configuration: configuration, logger: logger)
            guard lifecycle == .running, slots[index].child == nil else {
                child.closeInput()
                return
            }
            if hello.plugins != catalogue {
                logger.warning("a respawned plugin host holds different plugins; the executable changed since the pool started",
                               metadata: ["plugins": "\(hello.plugins.map(\.name).joined(separator: ","))"])
            }
            install(child, at: index)
            logger.info("plugin host respawned", metadata: ["plugin-host.pid": "\(child.pid)", "slot": "\(index)"])
            offer(index)
        } catch {
            slots[index].failures += 1
            lastSpawnFailure = error.message
            logger.error("\(error.message)", metadata: ["detail": "\(error.detail)", "slot": "\(index)"])
            scheduleRespawn(index, after: configuration.respawnDelay(afterFailures: slots[index].failures))
        }
    }

    private func unavailable(_ message: String, plugin: String = "") -> PluginRunError {
        PluginRunError(code: .unavailable, plugin: plugin, message: message)
    }

    private func unexpectedAnswer(plugin: String) -> PluginRunError {
        PluginRunError(code: .protocolViolation, plugin: plugin, message: "plugin '\(plugin)': the plugin host gave an answer of the wrong kind")
    }
}
