import Foundation
import ReportKit

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
/// The encoding is JSON for now. It is private to this type so that a compact binary form for
/// large snapshots can replace it without changing callers.
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
    ///
    /// The file name contains the hash, so writing the same data twice reuses the same file; the
    /// write is atomic (a temporary file renamed into place), so a reader never sees half a file.
    public static func write(_ snapshot: Snapshot, to directory: URL) throws -> SnapshotHandle {
        let data = try encode(snapshot)
        let hash = fnv1a64Hex(data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("snapshot-\(hash).json")
        if let existing = try? Data(contentsOf: url), existing == data {
            return SnapshotHandle(path: url.path, hash: hash)
        }
        try data.write(to: url, options: .atomic)
        return SnapshotHandle(path: url.path, hash: hash)
    }

    /// Reads the snapshot a handle names, checking that the bytes still match its hash.
    public static func read(_ handle: SnapshotHandle) throws -> Snapshot {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: handle.path))
        } catch {
            throw Error(path: handle.path, message: "cannot read snapshot: \(error.localizedDescription)")
        }
        let actual = fnv1a64Hex(data)
        guard actual == handle.hash else {
            throw Error(path: handle.path, message: "snapshot hash is \(actual), expected \(handle.hash)")
        }
        do {
            return try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw Error(path: handle.path, message: "cannot decode snapshot: \(error)")
        }
    }

    private static func encode(_ snapshot: Snapshot) throws -> Data {
        let encoder = JSONEncoder()
        // Sorted keys make equal snapshots byte-identical, so they share a hash and a cache entry.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(snapshot)
    }

    /// 64-bit FNV-1a: fast and good enough for a cache key; not a defence against forged files.
    static func fnv1a64Hex(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
