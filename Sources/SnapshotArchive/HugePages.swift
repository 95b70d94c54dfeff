#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux to back large arrays with 2 MB pages where it can (transparent huge pages in `madvise`
/// mode, as on Herald's hosts).
///
/// The string table's lookup index is tens of megabytes read at random: with 4 KB pages nearly every
/// lookup also misses the TLB and walks the page tables, and every 4 KB is a page fault when first
/// written. Advice only: where the kernel has no huge pages, nothing changes.
enum HugePages {
    /// Arrays smaller than this are left alone.
    static let minimumBytes = 4 << 20

    /// Advises the whole pages inside `count` bytes from `start`. Call before the memory is first
    /// written: pages already there stay small.
    static func advise(_ start: UnsafeRawPointer?, bytes count: Int) {
        #if os(Linux)
        guard let start, count >= minimumBytes else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let from = (Int(bitPattern: start) + page - 1) / page * page
        let to = (Int(bitPattern: start) + count) / page * page
        guard to > from else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` zeros whose memory was advised before it was written.
    static func zeros(_ count: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeRawPointer(buffer.baseAddress), bytes: count * 8)
            buffer.initialize(repeating: 0)
            initialized = count
        }
    }

    /// Reserves room for `capacity` elements in `array` (still empty) and advises that memory.
    static func reserve<T>(_ array: inout [T], _ capacity: Int) {
        array.reserveCapacity(capacity)
        let reserved = array.capacity
        array.withUnsafeMutableBufferPointer { buffer in
            advise(UnsafeRawPointer(buffer.baseAddress), bytes: reserved * MemoryLayout<T>.stride)
        }
    }
}
