/// The result of trying to create the run for a (job, logical time).
///
/// Both ``RunStore/claimRun(job:logicalTime:trigger:owner:at:)`` and
/// ``RunStore/recordSkip(job:logicalTime:trigger:reason:owner:at:)`` return it: a skip also takes the slot, so that
/// the logical time is not fired later.
public enum RunClaim: Sendable, Hashable {
    /// This call created the run; for a claim, the caller now owns it and must run it.
    case claimed(Run)
    /// A run for the same (job, logical time) already existed (from any instance, in any state); nothing was written.
    case alreadyRecorded(Run)

    /// The run that now holds the slot, whoever created it.
    public var run: Run {
        switch self {
        case .claimed(let run), .alreadyRecorded(let run): run
        }
    }

    /// Whether this call created the run.
    public var isClaimed: Bool {
        if case .claimed = self { return true }
        return false
    }
}
