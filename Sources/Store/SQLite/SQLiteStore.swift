import Foundation
import GRDB

/// The embedded state store: one SQLite file in WAL mode, shared safely by every Herald process that opens it.
///
/// Writes are serialised, by one connection within a process and by SQLite's file lock between processes (each
/// waiting up to ``Configuration/busyTimeout``); reads run concurrently and never wait for writes. Opening the
/// store creates the file and its folder if needed and brings the schema up to date.
///
/// Writes are not cancelled with the calling task: the outcome of a run must be recorded even while the daemon is
/// being shut down by cancellation. Reads are cancelled.
public final class SQLiteStore: Sendable {
    /// The database file.
    public let path: String

    // GRDB 7's DatabasePool is Sendable, so this class needs no unchecked conformance.
    let pool: DatabasePool

    /// Opens (or creates) the store at `path` and migrates it to this build's schema.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the file cannot be opened or created,
    ///   ``StoreError/Code/schemaTooNew`` when a newer Herald has migrated it, ``StoreError/Code/busy`` when another
    ///   process kept it locked beyond the busy timeout.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.cannotOpen, "creating the folder of the state store \(path)", underlying: error)
        }

        var config = GRDB.Configuration()
        config.busyMode = .timeout(Self.seconds(configuration.busyTimeout))
        config.foreignKeysEnabled = true
        config.maximumReaderCount = max(1, configuration.maximumReaderCount)
        config.label = "Herald.SQLiteStore"
        do {
            pool = try Self.openPool(path: path, configuration: config, patience: configuration.busyTimeout)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError(.busy, "opening the state store \(path)", underlying: error)
        } catch {
            throw StoreError(.cannotOpen, "opening the state store \(path)", underlying: error)
        }
        do {
            // GRDB sets NORMAL when it turns WAL on, after any prepareDatabase hook, so the choice is applied here,
            // on the pool's single long-lived writer connection.
            let pragma = "PRAGMA synchronous = \(configuration.durability.pragmaValue)"
            try pool.writeWithoutTransaction { try $0.execute(sql: pragma) }
            try Schema.migrate(pool, path: path)
        } catch {
            throw StoreError.wrapping(error, "preparing the state store \(path)")
        }
    }

    /// Closes the database connections. Later calls fail; closing is optional, as releasing the store closes them.
    public func close() throws {
        do {
            try pool.close()
        } catch {
            throw StoreError.wrapping(error, "closing the state store \(path)")
        }
    }

    /// Runs `updates` in one IMMEDIATE transaction, shielded from the caller's cancellation.
    ///
    /// IMMEDIATE (GRDB's default for writes) takes the write lock at BEGIN, where SQLite's busy handler applies;
    /// a deferred transaction upgrading to a writer could instead fail at once with SQLITE_BUSY under contention.
    func write<T: Sendable>(
        _ context: @escaping @Sendable @autoclosure () -> String,
        _ updates: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.asyncWrite(updates) { _, result in
                continuation.resume(with: result.mapError { StoreError.wrapping($0, context()) })
            }
        }
    }

    /// Runs `value` in a read-only snapshot of the database.
    func read<T: Sendable>(
        _ context: @autoclosure () -> String,
        _ value: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await pool.read(value)
        } catch {
            throw StoreError.wrapping(error, context())
        }
    }

    /// Opens the pool, retrying while another connection holds the file.
    ///
    /// Switching a new file to WAL needs an exclusive lock, and SQLite reports SQLITE_BUSY there at once rather than
    /// calling the busy handler, so two processes creating the file together would otherwise fail to start.
    private static func openPool(
        path: String,
        configuration: GRDB.Configuration,
        patience: Duration
    ) throws -> DatabasePool {
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError
                where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline
            {
                Thread.sleep(forTimeInterval: .random(in: 0.005...0.025))
            }
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension StoreError {
    /// Wraps a GRDB error with what the store was doing; store errors and cancellation pass through unchanged.
    static func wrapping(_ error: any Error, _ context: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as CancellationError:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED:
            return StoreError(.busy, context, underlying: error)
        default:
            return StoreError(.database, context, underlying: error)
        }
    }
}
