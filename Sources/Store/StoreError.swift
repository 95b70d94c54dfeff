/// An error from the state store: what went wrong (a ``Code`` to match on) and where (a human-readable context).
///
/// Match on ``code``; the ``context`` and ``underlying`` error are for people reading logs.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    ///
    /// A struct rather than an enum so that new codes can be added without breaking callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case runNotFound
            case notOwner
            case notRunning
            case busy
            case database
            case corruptData
            case schemaTooNew
            case cannotOpen
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// No run has the given id.
        public static let runNotFound = Code(.runNotFound)
        /// The run belongs to another owner, typically because another instance reclaimed it.
        public static let notOwner = Code(.notOwner)
        /// The run is no longer open (already finished, or skipped), so it cannot be finished again.
        public static let notRunning = Code(.notRunning)
        /// The database stayed locked by another connection or process for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// SQLite reported an error (I/O, constraint, full disk, …); see ``StoreError/underlying``.
        public static let database = Code(.database)
        /// A stored value could not be read back (an unknown state name, for instance).
        public static let corruptData = Code(.corruptData)
        /// The database was migrated by a newer Herald whose schema this build does not know.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// The database file could not be opened or created.
        public static let cannotOpen = Code(.cannotOpen)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What the store was doing, and with which run or job.
    public let context: String
    /// The error that caused this one, if any (usually a GRDB `DatabaseError`).
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ context: String, underlying: (any Error)? = nil) {
        self.code = code
        self.context = context
        self.underlying = underlying
    }

    public var description: String {
        if let underlying {
            return "\(code): \(context): \(underlying)"
        }
        return "\(code): \(context)"
    }
}
