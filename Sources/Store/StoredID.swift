/// A row id in the state store, typed by what it identifies so that a run's id can never be
/// passed where a delivery's is expected. Stable and never reused.
public struct StoredID<Entity>: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The stored integer.
    public let rawValue: Int64

    /// Wraps a stored integer.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The integer, as `herald retry ID` and logs show it.
    public var description: String { String(rawValue) }
}
