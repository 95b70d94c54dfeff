/// Why a ``Run`` exists.
///
/// The raw values are what the store persists; never rename them.
public enum RunTrigger: String, Sendable, Hashable, CaseIterable, Codable {
    /// The schedule fired on time.
    case schedule
    /// A fire missed while the daemon was down, run later under the job's `catch_up` policy.
    case catchUp = "catch_up"
    /// An operator asked for it (`herald trigger`).
    case manual
}
