import Foundation
import ReportKit
import SnapshotArchive
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// strings, written straight from the gathered arrays and read in place from the mapped file (a
/// million awards cost one copy, not a million JSON objects to encode and decode), and the other,
/// small record kinds as JSON. For 1,000,000 generated grants the file is 181 MB (BENCHMARKS.md).
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
    /// The archive goes to the file piece by piece, straight from its arrays, and is hashed on the
    /// way: 181 MB for a million awards are copied once and never read back.
    public static func write(_ archive: SnapshotArchive, to directory: URL) throws -> SnapshotHandle {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".snapshot-\(UUID().uuidString).partial")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Error(path: temporary.path, message: "cannot create the snapshot: \(String(cString: strerror(errno)))")
        }
        var hasher = ContentHashStream()
        var size = 0
        do {
            defer { close(fd) }
            try archive.encode { piece in
                hasher.update(piece)
                // Copying into the page cache is most of the cost of a large piece (the award rows):
                // two threads each write half of it, at its place in the file.
                let halves = piece.count >= SnapshotFile.parallelWriteBytes ? 2 : 1
                let failures = WriteFailures()
                let bytes = FileBytes(piece)
                let start = size, count = piece.count
                DispatchQueue.concurrentPerform(iterations: halves) { part in
                    let lower = count * part / halves, upper = count * (part + 1) / halves
                    if let reason = writeAll(fd, bytes, lower..<upper, at: start) { failures.record(reason) }
                }
                size += piece.count
                if let reason = failures.first {
                    throw Error(path: temporary.path, message: "cannot write the snapshot: \(reason)")
                }
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        let hash = hex(hasher.finish())
        let url = directory.appendingPathComponent("snapshot-\(hash).hsnap")
        if let existing = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
            existing.intValue == size {
            unlink(temporary.path)
            return SnapshotHandle(path: url.path, hash: hash)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw Error(path: url.path, message: "cannot write the snapshot: \(reason)")
        }
        return SnapshotHandle(path: url.path, hash: hash)
    }

    /// Maps the file a handle names and checks that its bytes still match the hash.
    private static func map(_ handle: SnapshotHandle) throws -> MappedBytes {
        let file: MappedBytes
        do {
            file = try MappedBytes(path: handle.path)
        } catch {
            throw Error(path: handle.path, message: "cannot read snapshot: \(error.message)")
        }
        let actual = hashHex(file.buffer)
        guard actual == handle.hash else {
            throw Error(path: handle.path, message: "snapshot hash is \(actual), expected \(handle.hash)")
        }
        return file
    }

    /// Reads the archive a handle names, checking that the bytes still match its hash.
    public static func readArchive(_ handle: SnapshotHandle) throws -> SnapshotArchive {
        let file = try map(handle)
        do {
            return try SnapshotArchive(decoding: file.buffer)
        } catch {
            throw Error(path: handle.path, message: "cannot decode snapshot: \(error)")
        }
    }

    /// Reads the snapshot a handle names, checking that the bytes still match its hash. Its awards
    /// are read from the mapped file as a plugin reaches them (``ArchiveAwards``); the mapping lives
    /// as long as the snapshot or any award taken from it.
    public static func read(_ handle: SnapshotHandle) throws -> Snapshot {
        let file = try map(handle)
        do {
            return try SnapshotArchive.snapshot(mapped: file.buffer, owner: file)
        } catch {
            throw Error(path: handle.path, message: "cannot decode snapshot: \(error)")
        }
    }

    /// The hash of `bytes` as 16 lowercase hex digits (``ContentHash``).
    public static func hashHex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(ContentHash.hash(bytes))
    }

    private static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension SnapshotFile {
    /// Pieces from this size up are written by two threads.
    static let parallelWriteBytes = 16 << 20
}

/// Bytes of one piece of an archive, valid while ``SnapshotArchive/encode(_:)`` is in its callback,
/// which waits for both writing threads.
private struct FileBytes: @unchecked Sendable {
    // @unchecked: the threads only read these bytes, and the callback that owns them outlives both.
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}

/// The first failure of either writing thread.
private final class WriteFailures: Sendable {
    private let reason = Mutex<String?>(nil)
    func record(_ message: String) { reason.withLock { $0 = $0 ?? message } }
    var first: String? { reason.withLock { $0 } }
}

/// Writes `range` of `bytes` at file offset `base + range.lowerBound`; the reason on failure.
private func writeAll(_ fd: Int32, _ bytes: FileBytes, _ range: Range<Int>, at base: Int) -> String? {
    var offset = range.lowerBound
    while offset < range.upperBound {
        let written = pwrite(fd, bytes.buffer.baseAddress! + offset, range.upperBound - offset, off_t(base + offset))
        if written < 0 {
            if errno == EINTR { continue }
            return String(cString: strerror(errno))
        }
        offset += written
    }
    return nil
}
