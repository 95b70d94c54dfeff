import Foundation
import ReportKit
import SnapshotArchive

/// Where a run's snapshot is on disk, and a hash of its content.
///
/// Herald writes the snapshot once per gathering and hands every run this small value instead of
/// the records; a child reads the file once and reuses it for every request with the same hash.
public struct SnapshotHandle: Sendable, Hashable, Codable {
    /// The snapshot file's absolute path.
    public var path: String
    /// A hash of the file's bytes, lowercase hex; the cache key of the children.
    public var hash: String

    /// Creates a handle.
    public init(path: String, hash: String) {
        self.path = path
        self.hash = hash
    }
}

/// Reads and writes snapshot files; the one place that knows their encoding.
///
/// The encoding is a ``SnapshotArchive``: awards as fixed-width rows over one table of distinct
/// strings, written and read as whole arrays (a million awards cost a copy each way, not a million
/// JSON objects to encode and decode), and the other, small record kinds as JSON. For 1,000,000
/// generated grants the file is 181 MB (BENCHMARKS.md).
public enum SnapshotFile {
    /// Why a snapshot file could not be used.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The file concerned.
        public var path: String
        /// What went wrong.
        public var message: String

        /// "path: message".
        public var description: String { "\(path): \(message)" }
    }

    /// Writes `snapshot` into `directory` (created if missing) and returns its handle.
    public static func write(_ snapshot: Snapshot, to directory: URL) throws -> SnapshotHandle {
        try write(SnapshotArchive(snapshot), to: directory)
    }

    /// Writes `archive` into `directory` (created if missing) and returns its handle.
    ///
    /// The file name contains the hash, so writing the same data twice reuses the same file; the
    /// write is atomic (a temporary file renamed into place), so a reader never sees half a file.
    public static func write(_ archive: SnapshotArchive, to directory: URL) throws -> SnapshotHandle {
        let bytes = try archive.encoded()
        let hash = bytes.withUnsafeBytes { hashHex($0) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("snapshot-\(hash).hsnap")
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
            size.intValue == bytes.count {
            return SnapshotHandle(path: url.path, hash: hash)
        }
        try bytes.withUnsafeBytes { try Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress!), count: $0.count,
                                             deallocator: .none).write(to: url, options: .atomic) }
        return SnapshotHandle(path: url.path, hash: hash)
    }

    /// Reads the archive a handle names, checking that the bytes still match its hash.
    public static func readArchive(_ handle: SnapshotHandle) throws -> SnapshotArchive {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: handle.path), options: .alwaysMapped)
        } catch {
            throw Error(path: handle.path, message: "cannot read snapshot: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { bytes in
            let actual = hashHex(bytes)
            guard actual == handle.hash else {
                throw Error(path: handle.path, message: "snapshot hash is \(actual), expected \(handle.hash)")
            }
            do {
                return try SnapshotArchive(decoding: bytes)
            } catch {
                throw Error(path: handle.path, message: "cannot decode snapshot: \(error)")
            }
        }
    }

    /// Reads the snapshot a handle names, checking that the bytes still match its hash.
    public static func read(_ handle: SnapshotHandle) throws -> Snapshot {
        try readArchive(handle).snapshot()
    }

    /// The hash of `bytes` as 16 lowercase hex digits (``ContentHash``).
    public static func hashHex(_ bytes: UnsafeRawBufferPointer) -> String {
        let hex = String(ContentHash.hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
