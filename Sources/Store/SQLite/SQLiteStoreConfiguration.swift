extension SQLiteStore {
    /// How an ``SQLiteStore`` opens its database file.
    public struct Configuration: Sendable {
        /// How far a commit must reach the disk before it returns.
        public struct Durability: Hashable, Sendable {
            fileprivate enum Value: Hashable, Sendable {
                case normal
                case full
            }

            fileprivate let value: Value

            /// SQLite's `synchronous = NORMAL` in WAL mode: a commit survives a crash of the process (`kill -9`),
            /// but a power cut or kernel panic may lose the last commits (never corrupting the file). The WAL is
            /// synced at checkpoints, so commits are cheap.
            public static let normal = Durability(value: .normal)
            /// SQLite's `synchronous = FULL`: every commit is synced to disk before it returns, and survives a power
            /// cut. Costs one fsync per commit.
            public static let full = Durability(value: .full)

            var pragmaValue: String {
                switch value {
                case .normal: "NORMAL"
                case .full: "FULL"
                }
            }
        }

        /// How long a write waits for another connection or process holding the database lock before failing
        /// with ``StoreError/Code/busy``. Instances sharing a file take turns rather than fail.
        public var busyTimeout: Duration
        /// How far a commit must reach the disk before it returns.
        public var durability: Durability
        /// The most connections reading at once (writes always go through one connection).
        public var maximumReaderCount: Int

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - busyTimeout: How long a write waits for the database lock.
        ///   - durability: How far a commit must reach the disk before it returns.
        ///   - maximumReaderCount: The most connections reading at once.
        public init(
            busyTimeout: Duration = .seconds(10),
            durability: Durability = .normal,
            maximumReaderCount: Int = 4
        ) {
            self.busyTimeout = busyTimeout
            self.durability = durability
            self.maximumReaderCount = maximumReaderCount
        }
    }
}
