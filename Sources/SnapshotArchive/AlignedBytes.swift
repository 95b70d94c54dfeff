import Foundation

/// A copy of some bytes in memory aligned to 8 bytes, so that ``ArchiveAwards`` can read an archive
/// encoded in memory (an `[UInt8]` promises no alignment) as it reads a mapped file.
public final class AlignedBytes: @unchecked Sendable {
    // @unchecked: the memory is written once, in init, and only read afterwards; it is freed in deinit.
    private let memory: UnsafeMutableRawBufferPointer

    /// A copy of `bytes`.
    public init(_ bytes: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        self.memory = memory
        buffer = UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count])
    }

    /// The bytes; valid while this object lives.
    public let buffer: UnsafeRawBufferPointer

    deinit { memory.deallocate() }
}
