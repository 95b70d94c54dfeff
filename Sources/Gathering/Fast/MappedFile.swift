import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory: a large source is read by the kernel's page cache
/// rather than copied into a buffer first, and pages no reader needs any more can be let go.
final class MappedFile: @unchecked Sendable {
    /// The bytes; valid while this object lives.
    let bytes: UnsafeRawBufferPointer
    private let length: Int

    /// Maps `path`; throws a message naming why not.
    init(path: String) throws(MappedFileError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw MappedFileError(message: errno == ENOENT ? "the file does not exist" : "the file cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFileError(message: "the file cannot be read") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MappedFileError(message: "not a regular file") }
        length = Int(info.st_size)
        guard length > 0 else {
            bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: 8), count: 0)
            return
        }
        guard let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw MappedFileError(message: "the file cannot be mapped (\(String(cString: strerror(errno))))")
        }
        #if canImport(Glibc)
        // Readers go front to back: read ahead, and drop pages behind.
        _ = madvise(p, length, MADV_SEQUENTIAL)
        #endif
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    deinit {
        if length > 0 { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), length) }
    }
}

/// Why a file could not be mapped.
struct MappedFileError: Error {
    var message: String
}
