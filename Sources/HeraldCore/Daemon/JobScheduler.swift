import Foundation
import Logging
import Scheduling
import Store

/// Decides when each job fires and hands fires to the executor.
///
/// It keeps, per job, the time up to which fires have been handled (the cursor), sleeps until the
/// earliest next fire, and on waking fires what fell due. One due fire is an on-time fire; several
/// (the clock jumped forward, the machine slept) are missed fires and follow the job's `catch_up`
/// policy, exactly as at start-up after downtime. A fire at or before a cursor is never planned
/// again, so a clock stepped backwards cannot fire a logical time twice — and the store's unique
/// (job, logical time) record guards the same across restarts and instances.
public actor JobScheduler {
    private var jobs: [String: JobDefinition]
    private var cursors: [String: Date] = [:]
    private let clock: any SchedulerClock
    private let store: any RunStore
    private let executor: RunExecutor
    private let logger: Logger
    private var sleeping: Task<ClockWake, any Error>?
    private var stopped = false

    /// Creates a scheduler for `jobs`.
    public init(jobs: [JobDefinition], clock: any SchedulerClock, store: any RunStore, executor: RunExecutor, logger: Logger) {
        self.jobs = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) })
        self.clock = clock
        self.store = store
        self.executor = executor
        self.logger = logger
    }

    /// Brings every job up to date after downtime: fires missed since each job's last recorded
    /// logical time follow its `catch_up` policy. A job with no recorded run starts from now.
    public func catchUp() async {
        let now = clock.now()
        for job in jobs.values.sorted(by: { $0.name < $1.name }) {
            let last = (try? await store.latestLogicalTime(job: job.name)) ?? nil
            guard let last else {
                cursors[job.name] = now
                continue
            }
            cursors[job.name] = last
            await fireMissed(job, now: now)
        }
    }

    /// The next fire of every job, earliest first.
    public func plan() -> [(job: JobDefinition, next: Date?)] {
        jobs.values.map { job in (job, nextFire(of: job)) }
            .sorted { ($0.next ?? .distantFuture, $0.job.name) < ($1.next ?? .distantFuture, $1.job.name) }
    }

    /// Sleeps and fires until ``stop()``.
    public func run() async {
        while !stopped && !Task.isCancelled {
            let upcoming = jobs.values.compactMap { nextFire(of: $0) }.min()
            let deadline = upcoming ?? clock.now().addingTimeInterval(365 * 86400)
            let clock = self.clock
            let sleep = Task { try await clock.sleep(until: deadline) }
            sleeping = sleep
            let wake = try? await sleep.value
            sleeping = nil
            if stopped || Task.isCancelled { break }
            if wake == .clockChanged {
                logger.notice("the wall clock was set; re-planning", metadata: ["now": "\(clock.now().ISO8601Format())"])
            }
            await fireDue(now: clock.now())
        }
    }

    /// Stops firing; a run already handed to the executor carries on.
    public func stop() {
        stopped = true
        sleeping?.cancel()
    }

    /// Replaces the jobs (a configuration reload) and re-plans. An unchanged job keeps its cursor, so
    /// nothing already handled fires again and nothing due is lost; a job whose schedule or zone
    /// changed, and a new job, start from now: times the new schedule would have had before the
    /// reload were never planned, so they are not missed fires.
    public func update(jobs newJobs: [JobDefinition]) {
        let now = clock.now()
        let old = jobs
        jobs = Dictionary(uniqueKeysWithValues: newJobs.map { ($0.name, $0) })
        for (name, job) in jobs {
            guard let previous = old[name], let cursor = cursors[name] else {
                cursors[name] = now
                continue
            }
            if previous.schedule != job.schedule || previous.timeZone != job.timeZone {
                cursors[name] = max(cursor, now)
            }
        }
        for name in cursors.keys where jobs[name] == nil { cursors[name] = nil }
        sleeping?.cancel()
    }

    private func nextFire(of job: JobDefinition) -> Date? {
        job.schedule.nextFire(after: cursors[job.name] ?? clock.now(), in: job.timeZone)
    }

    private func fireDue(now: Date) async {
        for job in jobs.values.sorted(by: { $0.name < $1.name }) {
            guard let cursor = cursors[job.name], let first = job.schedule.nextFire(after: cursor, in: job.timeZone),
                first <= now
            else { continue }
            if let second = job.schedule.nextFire(after: first, in: job.timeZone), second <= now {
                await fireMissed(job, now: now)
            } else {
                cursors[job.name] = first
                await executor.submit(job, at: first, trigger: .schedule)
            }
        }
    }

    private func fireMissed(_ job: JobDefinition, now: Date) async {
        guard let cursor = cursors[job.name] else { return }
        let missed = CatchUp.missedFires(of: job.schedule, in: job.timeZone, after: cursor, upTo: now,
                                         policy: job.catchUp, window: job.catchUpWindow)
        cursors[job.name] = now
        let all = job.schedule.fires(after: cursor, in: job.timeZone, count: 2).filter { $0 <= now }
        guard !all.isEmpty else { return }
        logger.notice(
            "missed fires since \(cursor.ISO8601Format()); catch_up \(job.catchUp.rawValue) runs \(missed.count)",
            metadata: ["job": "\(job.name)"])
        for time in missed { await executor.submit(job, at: time, trigger: .catchUp) }
    }
}
