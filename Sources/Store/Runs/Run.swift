import Foundation

/// One execution slot of a job: the job at one logical time.
///
/// There is at most one `Run` per (``job``, ``logicalTime``), across restarts and across instances sharing a store;
/// creating it (``RunStore/claimRun(job:logicalTime:trigger:owner:at:)``) is the gate that makes a job fire at most
/// once per logical time.
public struct Run: Sendable, Hashable, Identifiable {
    /// A run's id in its store; stable, never reused, and what webhook bodies send as `run_id`.
    public typealias ID = StoredID<Run>

    /// The run's id.
    public let id: ID
    /// The job's name (free text; the schedule file's name).
    public let job: String
    /// The fire time this run stands for, to the millisecond.
    public let logicalTime: Date
    /// Where the run stands.
    public let state: RunState
    /// Why the run exists.
    public let trigger: RunTrigger
    /// How many times an instance has started this run: 1 when claimed, plus one per reclaim or resume;
    /// 0 for a skipped run.
    public let attempts: Int
    /// The instance that owns (or last owned) the run.
    public let owner: OwnerID
    /// When the owner last said it was still working on the run; `nil` for a skipped run.
    public let heartbeatAt: Date?
    /// When the run was first claimed (or, for a skipped run, recorded).
    public let startedAt: Date
    /// When the run reached its current finished state; `nil` while running.
    public let finishedAt: Date?
    /// The error for a failed run, the reason for a skipped or interrupted one, or a note for a successful one.
    public let detail: String?
    /// A hash of the data the run reported on, for provenance.
    public let snapshotHash: String?
    /// A hash of the digest the run produced, for provenance.
    public let digestHash: String?

    /// Creates a run value; stores do this, and so may test doubles of ``RunStore``.
    public init(
        id: ID,
        job: String,
        logicalTime: Date,
        state: RunState,
        trigger: RunTrigger,
        attempts: Int,
        owner: OwnerID,
        heartbeatAt: Date?,
        startedAt: Date,
        finishedAt: Date?,
        detail: String?,
        snapshotHash: String?,
        digestHash: String?
    ) {
        self.id = id
        self.job = job
        self.logicalTime = logicalTime
        self.state = state
        self.trigger = trigger
        self.attempts = attempts
        self.owner = owner
        self.heartbeatAt = heartbeatAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.detail = detail
        self.snapshotHash = snapshotHash
        self.digestHash = digestHash
    }
}
