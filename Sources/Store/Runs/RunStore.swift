import Foundation

/// Where Herald records its runs: the at-most-once gate for each (job, logical time), who owns what is running,
/// and the history the scheduler and plugins read back.
///
/// ``SQLiteStore`` is the embedded implementation. Every method is atomic on its own, and every time is passed in
/// by the caller (the daemon's clock, which tests replace), never read from the system.
///
/// The lifecycle of a run:
/// - ``claimRun(job:logicalTime:trigger:owner:at:)`` creates it `running`;
///   ``recordSkip(job:logicalTime:trigger:reason:owner:at:)`` creates it `skipped`, for good.
/// - ``finishRun(_:owner:outcome:at:)`` ends it `succeeded`, `empty`, `failed` or `interrupted`.
/// - ``interruptRuns(owner:reason:at:)``, at graceful shutdown, moves an owner's running runs to `interrupted`;
///   ``resumeInterruptedRun(_:owner:at:)`` makes one `running` again under a new owner (one more attempt).
/// - ``reclaimAbandonedRuns(owner:at:policy:)`` hands each `running` run whose owner is dead or silent to a new
///   owner (one more attempt).
public protocol RunStore: Sendable {
    // MARK: Creating runs

    /// Creates the run for (`job`, `logicalTime`) in state `running`, owned by `owner`, unless one exists.
    ///
    /// This is the at-most-once gate: of any number of concurrent callers, in any number of processes sharing the
    /// store, exactly one gets ``RunClaim/claimed(_:)``; everyone else, then and later, gets
    /// ``RunClaim/alreadyRecorded(_:)`` with the existing run (in whatever state it is).
    func claimRun(
        job: String,
        logicalTime: Date,
        trigger: RunTrigger,
        owner: OwnerID,
        at now: Date
    ) async throws -> RunClaim

    /// Records that (`job`, `logicalTime`) was not run, and why (overlap, catch-up policy), unless a run exists.
    ///
    /// The skip takes the slot: a later claim of the same logical time gets ``RunClaim/alreadyRecorded(_:)``.
    func recordSkip(
        job: String,
        logicalTime: Date,
        trigger: RunTrigger,
        reason: String,
        owner: OwnerID,
        at now: Date
    ) async throws -> RunClaim

    // MARK: Owning runs

    /// Records how a run ended. Only its owner may do so.
    ///
    /// The run must be `running`, or `interrupted` by the same owner (a job that completed after shutdown began).
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/notOwner`` when another instance owns the run (it reclaimed
    ///   or resumed it, so this caller's result must be dropped), ``StoreError/Code/notRunning`` when it is already
    ///   finished, ``StoreError/Code/runNotFound`` for an unknown id.
    func finishRun(_ id: Run.ID, owner: OwnerID, outcome: RunOutcome, at now: Date) async throws -> Run

    /// Renews the lease on every run `owner` has running.
    ///
    /// - Returns: The ids of the runs `owner` still holds; a run missing from the list was taken over by another
    ///   instance, and its work should stop.
    func heartbeat(owner: OwnerID, at now: Date) async throws -> [Run.ID]

    /// Takes over running runs whose owner is dead or silent, per `policy`; call at start-up, then now and then.
    ///
    /// Each abandoned run is handed to exactly one caller, across instances: it becomes owned by `owner`, with one
    /// more attempt and a fresh heartbeat. The caller must run each returned logical time to completion.
    /// Runs owned by `owner` itself are never returned.
    func reclaimAbandonedRuns(owner: OwnerID, at now: Date, policy: ReclaimPolicy) async throws -> [ReclaimedRun]

    /// Marks every run `owner` has running as `interrupted` with `reason`; call at graceful shutdown.
    ///
    /// - Returns: The runs as interrupted.
    func interruptRuns(owner: OwnerID, reason: String, at now: Date) async throws -> [Run]

    /// Takes over an `interrupted` run to run it again: it becomes `running`, owned by `owner`, one more attempt.
    ///
    /// - Returns: The run, or `nil` when it is not (or no longer) interrupted; of concurrent callers at most one
    ///   gets the run.
    func resumeInterruptedRun(_ id: Run.ID, owner: OwnerID, at now: Date) async throws -> Run?

    // MARK: Reading runs

    /// The run with this id.
    func run(_ id: Run.ID) async throws -> Run?

    /// The run for (`job`, `logicalTime`), in any state.
    func run(job: String, logicalTime: Date) async throws -> Run?

    /// The job's run with the latest logical time, in any state.
    func lastRun(job: String) async throws -> Run?

    /// The job's run with the latest logical time that is `succeeded` or `empty`, optionally strictly before a
    /// logical time; for a plugin's "previous successful run".
    func lastSuccessfulRun(job: String, before logicalTime: Date?) async throws -> Run?

    /// The latest logical time the schedule recorded for the job, in any state (skips included): the
    /// catch-up cursor. Manual runs (`herald trigger`, any logical time an operator picks) are not
    /// the schedule's and do not move it.
    func latestLogicalTime(job: String) async throws -> Date?

    /// The most recently started runs, newest first, of one job or of all.
    func recentRuns(job: String?, limit: Int) async throws -> [Run]

    /// Every `running` or `interrupted` run, of any owner, by job and logical time.
    func unfinishedRuns() async throws -> [Run]
}
