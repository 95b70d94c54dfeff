import Foundation
import GRDB

extension SQLiteStore: RunStore {
    public func claimRun(
        job: String,
        logicalTime: Date,
        trigger: RunTrigger,
        owner: OwnerID,
        at now: Date
    ) async throws -> RunClaim {
        try await write("claiming \(job) at \(logicalTime)") { db in
            try RunsTable.insert(
                db, job: job, logicalTime: logicalTime, state: .running, trigger: trigger, attempts: 1, owner: owner,
                detail: nil, at: now
            )
        }
    }

    public func recordSkip(
        job: String,
        logicalTime: Date,
        trigger: RunTrigger,
        reason: String,
        owner: OwnerID,
        at now: Date
    ) async throws -> RunClaim {
        try await write("recording a skip of \(job) at \(logicalTime)") { db in
            try RunsTable.insert(
                db, job: job, logicalTime: logicalTime, state: .skipped, trigger: trigger, attempts: 0, owner: owner,
                detail: reason, at: now
            )
        }
    }

    public func finishRun(_ id: Run.ID, owner: OwnerID, outcome: RunOutcome, at now: Date) async throws -> Run {
        try await write("finishing run \(id)") { db in
            try RunsTable.finish(db, id: id, owner: owner, outcome: outcome, at: now)
        }
    }

    public func heartbeat(owner: OwnerID, at now: Date) async throws -> [Run.ID] {
        try await write("heartbeating the runs of \(owner)") { db in
            try RunsTable.heartbeat(db, owner: owner, at: now)
        }
    }

    public func reclaimAbandonedRuns(
        owner: OwnerID,
        at now: Date,
        policy: ReclaimPolicy
    ) async throws -> [ReclaimedRun] {
        try await write("reclaiming abandoned runs for \(owner)") { db in
            try RunsTable.reclaimAbandoned(db, owner: owner, at: now, policy: policy)
        }
    }

    public func interruptRuns(owner: OwnerID, reason: String, at now: Date) async throws -> [Run] {
        try await write("interrupting the runs of \(owner)") { db in
            try RunsTable.interrupt(db, owner: owner, reason: reason, at: now)
        }
    }

    public func resumeInterruptedRun(_ id: Run.ID, owner: OwnerID, at now: Date) async throws -> Run? {
        try await write("resuming run \(id)") { db in
            try RunsTable.resumeInterrupted(db, id: id, owner: owner, at: now)
        }
    }

    public func run(_ id: Run.ID) async throws -> Run? {
        try await read("reading run \(id)") { db in
            try RunsTable.fetch(db, id: id)
        }
    }

    public func run(job: String, logicalTime: Date) async throws -> Run? {
        try await read("reading the run of \(job) at \(logicalTime)") { db in
            try RunsTable.fetch(db, job: job, logicalTime: logicalTime)
        }
    }

    public func lastRun(job: String) async throws -> Run? {
        try await read("reading the last run of \(job)") { db in
            try RunsTable.fetchOne(db, where: "job = ? ORDER BY logical_time DESC LIMIT 1", [job])
        }
    }

    public func lastSuccessfulRun(job: String, before logicalTime: Date?) async throws -> Run? {
        let successful = RunState.allCases.filter(\.isSuccessful).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let upperBound = logicalTime.map(StoredTime.millis) ?? Int64.max
        return try await read("reading the last successful run of \(job)") { db in
            try RunsTable.fetchOne(
                db,
                where: "job = ? AND state IN (\(successful)) AND logical_time < ? ORDER BY logical_time DESC LIMIT 1",
                [job, upperBound]
            )
        }
    }

    public func latestLogicalTime(job: String) async throws -> Date? {
        try await read("reading the latest logical time of \(job)") { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(logical_time) FROM run WHERE job = ? AND trigger != 'manual'", arguments: [job])
                .map(StoredTime.date)
        }
    }

    public func recentRuns(job: String?, limit: Int) async throws -> [Run] {
        let limit = max(0, limit)
        return try await read("reading recent runs") { db in
            let newestFirst = "ORDER BY started_at DESC, id DESC LIMIT ?"
            if let job {
                return try RunsTable.fetchAll(db, where: "job = ? \(newestFirst)", [job, limit])
            }
            return try RunsTable.fetchAll(db, where: "1 \(newestFirst)", [limit])
        }
    }

    public func unfinishedRuns() async throws -> [Run] {
        try await read("reading unfinished runs") { db in
            try RunsTable.fetchAll(db, where: "state IN ('running', 'interrupted') ORDER BY job, logical_time", [])
        }
    }
}
