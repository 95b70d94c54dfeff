import Foundation

/// Reads a large file on two cores by guessing where its second half's first record starts and
/// checking the guess: the first reader goes from the top and must arrive exactly at the guessed
/// record start; only then is the second reader's work kept. A wrong guess (a `},{` inside a string,
/// say) costs time, never correctness: the first reader then simply reads to the end.
enum SplitReader {
    /// Files smaller than this are read on one thread: the second would not pay for itself.
    static let minimumSplitBytes = 4 << 20

    /// What one reader produced.
    struct Part<Output> {
        var output: Output
        /// The record count (grants or data rows) it read.
        var records: Int
        /// For the first reader: whether it stopped exactly at the guessed start.
        var reachedSplit = false
        var failure: (any Error)?
    }

    /// Runs `first(stopAt)` and, when there is a guess, `second(start)` concurrently.
    /// Returns the first part and, when the guess was confirmed, the second.
    static func run<Output>(
        split: Int?,
        first: @Sendable (_ stopAt: Int?) -> Part<Output>,
        second: @Sendable (_ start: Int) -> Part<Output>
    ) -> (Part<Output>, Part<Output>?) {
        guard let split else { return (first(nil), nil) }
        let box = Box<Output>()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { box.set(first: first(split)) } else { box.set(second: second(split)) }
        }
        // Taken out of the box, not copied: the parts' tables then have one owner, and the first can
        // take the second's rows in place instead of being copied first (``AwardTable/append(_:originOffset:)``).
        let a = box.takeFirst()
        let b = box.takeSecond()
        guard a.reachedSplit && a.failure == nil else { return (a, nil) }
        return (a, b)
    }

    private final class Box<Output>: @unchecked Sendable {
        // Each slot is written by one thread and read after concurrentPerform returns.
        var first: Part<Output>?
        var second: Part<Output>?
        func set(first value: Part<Output>) { first = value }
        func set(second value: Part<Output>) { second = value }
        func takeFirst() -> Part<Output> { defer { first = nil }; return first! }
        func takeSecond() -> Part<Output>? { defer { second = nil }; return second }
    }

    /// 1-based line and column of byte `offset` (columns count characters, not bytes).
    static func lineAndColumn(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(min(offset, bytes.count)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

/// Raw bytes that may cross to a worker thread: the mapped file outlives both readers.
struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    /// Whether the bytes are a file mapping whose pages may be dropped once read (never a heap buffer:
    /// dropping those would zero them).
    var mapped = false
}

/// Lets go of a mapped file's pages behind a reader, so that reading a 700 MB file does not keep
/// 700 MB resident: they stay in the page cache and come back on a (rare) later access.
struct PageRelease {
    let bytes: SharedBytes
    private(set) var released: Int
    static let step = 32 << 20

    init(_ bytes: SharedBytes, from start: Int) {
        self.bytes = bytes
        released = start
    }

    @inline(__always) mutating func reader(at index: Int) {
        guard bytes.mapped, index - released >= PageRelease.step else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let base = Int(bitPattern: bytes.buffer.baseAddress!)
        let from = (base + released + page - 1) / page * page
        let to = (base + index - page) / page * page
        if to > from {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, Int32(MADV_DONTNEED))
        }
        released = index
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
