import Foundation
import Logging
import Store

/// Start-up recovery: runs recorded but never finished — their daemon was killed, or stopped
/// before they completed — are taken over and run to completion, once.
struct Recovery {
    let store: any RunStore
    let owner: OwnerID
    let executor: RunExecutor
    let logger: Logger

    func resumeUnfinished(jobs: [JobDefinition], at now: Date) async throws {
        let byName = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) })
        for reclaimed in try await store.reclaimAbandonedRuns(owner: owner, at: now, policy: ReclaimPolicy()) {
            logger.warning("run \(reclaimed.run.id) was abandoned by \(reclaimed.previousOwner); resuming it",
                           metadata: ["job": "\(reclaimed.run.job)"])
            await resume(reclaimed.run, byName)
        }
        for run in try await store.unfinishedRuns() where run.state == .interrupted {
            guard let resumed = try await store.resumeInterruptedRun(run.id, owner: owner, at: now) else { continue }
            await resume(resumed, byName)
        }
    }

    private func resume(_ run: Run, _ jobs: [String: JobDefinition]) async {
        guard let job = jobs[run.job] else {
            logger.error("run \(run.id) belongs to job '\(run.job)', which is no longer configured; recording it as failed")
            _ = try? await store.finishRun(run.id, owner: owner,
                                           outcome: .failed("its job is no longer configured"), at: Date())
            return
        }
        await executor.resume(run, job: job)
    }
}
