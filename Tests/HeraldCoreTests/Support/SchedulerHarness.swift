import Foundation
@testable import HeraldCore
import Logging
import Store

/// A scheduler, executor and real SQLite store on a manual clock: "the daemon" minus processes.
struct SchedulerHarness {
    let clock: ManualClock
    let store: SQLiteStore
    let work: RecordingWork
    let executor: RunExecutor
    let scheduler: JobScheduler
    let owner: OwnerID

    /// A new instance over `storePath` (reuse the path to simulate a restart).
    init(jobs: [JobDefinition], start: Date, storePath: URL, clock: ManualClock? = nil, work: RecordingWork = RecordingWork(),
         maxConcurrentRuns: Int = 4, owner: OwnerID = OwnerID(rawValue: "test:\(UUID().uuidString)")) throws {
        self.clock = clock ?? ManualClock(start)
        self.store = try SQLiteStore(path: storePath.path)
        self.work = work
        self.owner = owner
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        executor = RunExecutor(store: store, owner: owner, clock: self.clock, work: work,
                               maxConcurrentRuns: maxConcurrentRuns, logger: logger)
        scheduler = JobScheduler(jobs: jobs, clock: self.clock, store: store, executor: executor, logger: logger)
    }

    /// Starts the scheduler loop (after catch-up) and returns its task.
    func start() async -> Task<Void, Never> {
        await scheduler.catchUp()
        await executor.waitUntilIdle()
        let scheduler = self.scheduler
        return Task { await scheduler.run() }
    }

    /// Moves the clock from one planned fire to the next until `end`, letting each fire's run finish.
    func simulate(until end: Date) async throws {
        while true {
            let deadline = try await clock.nextSleeperDeadline()
            guard deadline <= end else {
                clock.advance(to: end)
                break
            }
            clock.advance(to: deadline)
            _ = try await clock.nextSleeperDeadline()
            await executor.waitUntilIdle()
        }
    }

    func stop(_ loop: Task<Void, Never>) async {
        await scheduler.stop()
        await loop.value
        await executor.drain(grace: .seconds(5))
    }

    /// Runs recorded in the store for `job`, oldest first.
    func runs(_ job: String) async throws -> [Run] {
        try await store.recentRuns(job: job, limit: 10_000).sorted { $0.logicalTime < $1.logicalTime }
    }
}
