/// How a run ended, as recorded by ``RunStore/finishRun(_:owner:outcome:at:)``.
///
/// Built only through the static factories, so a run can only be finished into a finished state.
public struct RunOutcome: Sendable, Hashable {
    /// The state the run ends in.
    public let state: RunState
    /// The error, reason or note to record.
    public var detail: String?
    /// A hash of the data the run reported on.
    public var snapshotHash: String?
    /// A hash of the digest the run produced.
    public var digestHash: String?

    private init(state: RunState, detail: String?, snapshotHash: String?, digestHash: String?) {
        self.state = state
        self.detail = detail
        self.snapshotHash = snapshotHash
        self.digestHash = digestHash
    }

    /// The run produced a digest and queued its deliveries.
    public static func succeeded(
        snapshotHash: String? = nil,
        digestHash: String? = nil,
        detail: String? = nil
    ) -> Self {
        Self(state: .succeeded, detail: detail, snapshotHash: snapshotHash, digestHash: digestHash)
    }

    /// The run completed with nothing to post.
    public static func empty(snapshotHash: String? = nil, digestHash: String? = nil, detail: String? = nil) -> Self {
        Self(state: .empty, detail: detail, snapshotHash: snapshotHash, digestHash: digestHash)
    }

    /// The run failed; `error` is shown to operators.
    public static func failed(_ error: String, snapshotHash: String? = nil, digestHash: String? = nil) -> Self {
        Self(state: .failed, detail: error, snapshotHash: snapshotHash, digestHash: digestHash)
    }

    /// The run was stopped before it completed (a shutdown deadline, say) and may be resumed.
    public static func interrupted(_ reason: String) -> Self {
        Self(state: .interrupted, detail: reason, snapshotHash: nil, digestHash: nil)
    }
}
