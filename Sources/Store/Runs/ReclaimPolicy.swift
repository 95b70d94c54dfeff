import Foundation

/// When a running run counts as abandoned, so that another instance may take it over.
///
/// A run is abandoned when its owner is known to be dead (``isOwnerAlive`` returns `false`) or when its heartbeat is
/// older than ``leaseDuration``. Owners should heartbeat several times per lease (every quarter lease, say), so that
/// a slow disk or a paused process does not lose its runs.
public struct ReclaimPolicy: Sendable {
    /// How long a running run stays owned without a heartbeat.
    public var leaseDuration: Duration
    /// Whether an owner may still be running. Defaults to ``OwnerID/isProbablyAlive(_:)``; tests inject their own.
    public var isOwnerAlive: @Sendable (OwnerID) -> Bool

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - leaseDuration: How long a running run stays owned without a heartbeat.
    ///   - isOwnerAlive: Whether an owner may still be running; answer `false` only when sure.
    public init(
        leaseDuration: Duration = .seconds(60),
        isOwnerAlive: @escaping @Sendable (OwnerID) -> Bool = OwnerID.isProbablyAlive
    ) {
        self.leaseDuration = leaseDuration
        self.isOwnerAlive = isOwnerAlive
    }
}

/// A run that ``RunStore/reclaimAbandonedRuns(owner:at:policy:)`` took over from a dead or silent owner.
public struct ReclaimedRun: Sendable, Hashable {
    /// Why the previous owner lost the run.
    public enum Reason: Sendable, Hashable {
        /// The owner's process is gone.
        case ownerNotAlive
        /// The owner stopped heartbeating; the date is its last heartbeat.
        case leaseExpired(lastHeartbeat: Date?)
    }

    /// The run as it now stands: running, owned by the reclaimer, one more attempt.
    public let run: Run
    /// The instance that owned the run before.
    public let previousOwner: OwnerID
    /// Why the previous owner lost the run.
    public let reason: Reason

    /// Creates a value; stores do this, and so may test doubles of ``RunStore``.
    public init(run: Run, previousOwner: OwnerID, reason: Reason) {
        self.run = run
        self.previousOwner = previousOwner
        self.reason = reason
    }
}
