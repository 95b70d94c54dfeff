#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only, for reading a snapshot in place: its pages come from the page cache
/// (the file was just written) instead of being copied into the process, and only the rows a plugin
/// reads are ever touched. Snapshot files are replaced by rename, never rewritten, so the mapped bytes
/// do not change under a reader.
public final class MappedBytes: @unchecked Sendable {
    // @unchecked: the mapping is read-only and lives until deinit; `buffer` is never reassigned.
    /// The file's bytes (page-aligned); valid while this object lives.
    public let buffer: UnsafeRawBufferPointer

    /// Why a file could not be mapped.
    public struct Failure: Error, Sendable {
        /// The reason, from errno.
        public var message: String
    }

    /// Maps the file at `path`.
    public init(path: String) throws(Failure) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(message: String(cString: strerror(errno))) }
        let length = Int(info.st_size)
        guard length > 0 else {
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw Failure(message: String(cString: strerror(errno)))
        }
        buffer = UnsafeRawBufferPointer(start: p, count: length)
    }

    deinit {
        if let base = buffer.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), buffer.count) }
    }
}
