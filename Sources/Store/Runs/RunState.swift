/// Where a ``Run`` stands.
///
/// The raw values are what the store persists; never rename them.
public enum RunState: String, Sendable, Hashable, CaseIterable, Codable {
    /// An instance owns the run and is working on it, or died while doing so
    /// (see ``RunStore/reclaimAbandonedRuns(owner:at:policy:)``).
    case running
    /// The run finished and queued what it had to post.
    case succeeded
    /// The run finished and had nothing to post.
    case empty
    /// The run failed; ``Run/detail`` says why.
    case failed
    /// The run was not attempted (overlap or catch-up policy); ``Run/detail`` says why.
    case skipped
    /// The run was in progress when its instance shut down gracefully; it may be resumed.
    case interrupted

    /// Whether the run produced its outcome, with or without anything to post.
    ///
    /// A plugin's "previous successful run" is the last run in one of these states.
    public var isSuccessful: Bool {
        self == .succeeded || self == .empty
    }

    /// Whether the run still needs work: it is ``running`` or ``interrupted``.
    public var isUnfinished: Bool {
        self == .running || self == .interrupted
    }
}
