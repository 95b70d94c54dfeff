import Foundation
import Logging
import Store

/// Runs fires: records each in the store before doing anything (the at-most-once gate), keeps a
/// job from overlapping itself, bounds how many runs go at once, and on shutdown records what it
/// had to interrupt.
public actor RunExecutor {
    /// The state store: runs, and the outbox their deliveries are written to as they finish.
    public typealias Store = RunStore & OutboxStore

    private let store: any Store
    private let owner: OwnerID
    private let clock: any SchedulerClock
    private let logger: Logger
    private let maxConcurrentRuns: Int
    private var work: any RunWork

    private var slotsInUse = 0
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    /// Jobs with a run in progress or waiting for a slot: a job never overlaps itself.
    private var busyJobs: Set<String> = []
    private var queued: [String: [(JobDefinition, Date, RunTrigger)]] = [:]
    private var tasks: [UInt64: Task<Void, Never>] = [:]
    private var nextTaskID: UInt64 = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var heartbeat: Task<Void, Never>?
    private var onQueued: @Sendable () async -> Void = {}
    private var onIdle: @Sendable () -> Void = {}

    /// How often running runs renew their lease, so another instance can tell them from abandoned ones.
    public static let heartbeatInterval: Duration = .seconds(20)

    /// Creates an executor.
    public init(store: any Store, owner: OwnerID, clock: any SchedulerClock, work: any RunWork,
                maxConcurrentRuns: Int, logger: Logger) {
        self.store = store
        self.owner = owner
        self.clock = clock
        self.work = work
        self.maxConcurrentRuns = max(1, maxConcurrentRuns)
        self.logger = logger
    }

    /// Replaces the work (after a configuration reload); runs already going keep the old one.
    public func replaceWork(_ work: any RunWork) { self.work = work }

    /// Calls `action` whenever a run has written deliveries to the outbox (to wake the dispatcher).
    public func whenDeliveriesQueued(_ action: @escaping @Sendable () async -> Void) { onQueued = action }

    /// Calls `action` each time the last going run finishes and none is waiting.
    public func whenIdle(_ action: @escaping @Sendable () -> Void) { onIdle = action }

    /// Starts a run of `job` for `logicalTime`, unless the job is busy: then the fire is recorded as
    /// skipped (`overlap: skip`) or queued behind the running one (`overlap: queue`).
    public func submit(_ job: JobDefinition, at logicalTime: Date, trigger: RunTrigger) async {
        guard !busyJobs.contains(job.name) else {
            // Missed fires being caught up are one backlog: they run one after another, whatever `overlap` says.
            switch trigger == .catchUp ? .queue : job.overlap {
            case .queue:
                queued[job.name, default: []].append((job, logicalTime, trigger))
                logger.info("queued behind the running run", metadata: metadata(job.name, logicalTime))
            case .skip:
                do {
                    _ = try await store.recordSkip(
                        job: job.name, logicalTime: logicalTime, trigger: trigger,
                        reason: "overlap: the previous run of this job was still going", owner: owner, at: clock.now())
                    logger.warning("skipped: the previous run is still going", metadata: metadata(job.name, logicalTime))
                } catch {
                    logger.error("cannot record a skipped fire: \(error)", metadata: metadata(job.name, logicalTime))
                }
            }
            return
        }
        start(job, logicalTime: logicalTime, trigger: trigger, resuming: nil)
    }

    /// Finishes a run that was recorded before but not completed (this instance reclaimed it from a
    /// dead owner, or it was interrupted by a shutdown): the same logical time, run to completion once.
    public func resume(_ run: Run, job: JobDefinition) {
        start(job, logicalTime: run.logicalTime, trigger: run.trigger, resuming: run)
    }

    private func start(_ job: JobDefinition, logicalTime: Date, trigger: RunTrigger, resuming: Run?) {
        busyJobs.insert(job.name)
        let id = nextTaskID
        nextTaskID += 1
        tasks[id] = Task { await self.execute(id: id, job, logicalTime: logicalTime, trigger: trigger, resuming: resuming) }
        if heartbeat == nil { heartbeat = Task { await self.renewLeases() } }
    }

    private func execute(id: UInt64, _ job: JobDefinition, logicalTime: Date, trigger: RunTrigger, resuming: Run?) async {
        await acquireSlot()
        defer { finished(id: id, job: job.name) }
        let meta = metadata(job.name, logicalTime)
        let run: Run
        if let resuming {
            run = resuming
            logger.notice("resuming run \(run.id) (attempt \(run.attempts))", metadata: meta)
        } else {
            do {
                switch try await store.claimRun(job: job.name, logicalTime: logicalTime, trigger: trigger,
                                                owner: owner, at: clock.now()) {
                case .claimed(let claimed): run = claimed
                case .alreadyRecorded(let existing):
                    logger.info("already recorded (\(existing.state.rawValue)); not run again", metadata: meta)
                    return
                }
            } catch {
                logger.error("cannot record the run, so it does not start: \(error)", metadata: meta)
                return
            }
        }
        let previous = try? await store.lastSuccessfulRun(job: job.name, before: logicalTime)?.logicalTime
        logger.info("run \(run.id) started (\(trigger.rawValue))", metadata: meta)
        let result = await work.perform(job, run: run, previousSuccessfulRun: previous)
        if Task.isCancelled {
            // Shutdown came first: the run stays recorded as interrupted and is resumed at the next start.
            return
        }
        do {
            let finished = try await store.finishRun(run.id, owner: owner, outcome: result.outcome,
                                                     enqueuing: result.deliveries, at: clock.now())
            let level: Logger.Level = finished.run.state == .failed ? .error : .info
            logger.log(level: level, "run \(run.id) \(finished.run.state.rawValue)\(finished.run.detail.map { ": \($0)" } ?? "")",
                       metadata: meta)
            if !finished.enqueued.inserted.isEmpty { await onQueued() }
        } catch {
            logger.error("cannot record the outcome of run \(run.id): \(error)", metadata: meta)
        }
    }

    private func finished(id: UInt64, job: String) {
        tasks[id] = nil
        slotsInUse -= 1
        if !slotWaiters.isEmpty { slotsInUse += 1; slotWaiters.removeFirst().resume() }
        busyJobs.remove(job)
        if var waiting = queued[job], !waiting.isEmpty {
            let (next, time, trigger) = waiting.removeFirst()
            queued[job] = waiting.isEmpty ? nil : waiting
            start(next, logicalTime: time, trigger: trigger, resuming: nil)
        }
        if tasks.isEmpty {
            heartbeat?.cancel()
            heartbeat = nil
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters = []
            onIdle()
        }
    }

    private func acquireSlot() async {
        if slotsInUse < maxConcurrentRuns {
            slotsInUse += 1
            return
        }
        await withCheckedContinuation { slotWaiters.append($0) }
    }

    private func renewLeases() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.heartbeatInterval)
            if Task.isCancelled { return }
            _ = try? await store.heartbeat(owner: owner, at: clock.now())
        }
    }

    /// Suspends until no run is going or waiting.
    public func waitUntilIdle() async {
        if tasks.isEmpty { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    /// Whether any run is going or waiting.
    public var isIdle: Bool { tasks.isEmpty }

    /// Lets running runs finish for up to `grace`, then cancels the rest and records them as
    /// interrupted. Returns the runs that were interrupted.
    @discardableResult
    public func drain(grace: Duration) async -> [Run] {
        queued = [:]
        // Shutdown is the one place a short poll is right: it lasts at most `grace`, and a waiter
        // that cancellation cannot reach would keep the daemon from ever exiting.
        let deadline = ContinuousClock.now + grace
        while !tasks.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for task in tasks.values { task.cancel() }
        heartbeat?.cancel()
        do {
            let interrupted = try await store.interruptRuns(
                owner: owner, reason: "the daemon was stopped before the run finished", at: clock.now())
            for run in interrupted {
                logger.warning("run \(run.id) interrupted by shutdown; it will be resumed at the next start",
                               metadata: metadata(run.job, run.logicalTime))
            }
            return interrupted
        } catch {
            logger.error("cannot record interrupted runs: \(error)")
            return []
        }
    }

    private func metadata(_ job: String, _ logicalTime: Date) -> Logger.Metadata {
        ["job": "\(job)", "logical_time": "\(logicalTime.ISO8601Format())"]
    }
}
