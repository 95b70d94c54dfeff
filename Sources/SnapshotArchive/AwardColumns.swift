import Foundation
import Synchronization

/// Award rows turned into columns, as the snapshot file stores them: one array per row word, and a
/// word that every row has the same value in (the currency, the funder, the source of one file,
/// an unused optional) stored once.
///
/// For a million grants this writes 50 MB of columns instead of 128 MB of rows: copying into the
/// page cache is most of what writing the file costs. It also lets the plugin host read one field
/// of every award (a date, to filter by period) from 4 MB instead of every row's cache line.
final class AwardColumns: @unchecked Sendable {
    // @unchecked: `storage` is written only while init runs (its two threads fill disjoint rows of
    // each column and finish before init returns), then only read; it is freed in deinit.
    /// The number of rows.
    let count: Int
    /// For each row word: the value of every row, or nil when the word is stored as a column.
    let constants: [UInt32?]
    /// Stored columns back to back, `count` words each, in word order.
    private let storage: UnsafeMutableBufferPointer<UInt32>
    /// For each row word, its column's index in `storage` (only for stored words).
    private let slot: [Int]

    init(rows words: [UInt32]) {
        let n = words.count / AwardTable.rowWords
        let r = AwardTable.rowWords
        count = n
        // Which words differ from row 0 somewhere: each thread looks at half of the rows.
        let halves = n < 65_536 ? 1 : 2
        let masks = words.withUnsafeBufferPointer { rows -> UInt64 in
            let shared = Rows(rows.baseAddress)
            let found = Mask()
            DispatchQueue.concurrentPerform(iterations: halves) { part in
                guard let rows = shared.pointer else { return }
                let lower = n * part / halves, upper = n * (part + 1) / halves
                var differs: UInt64 = 0
                for row in lower..<upper {
                    for k in 0..<r where rows[row * r + k] != rows[k] { differs |= 1 << UInt64(k) }
                }
                found.add(differs)
            }
            return found.value
        }
        var constants = [UInt32?](repeating: nil, count: r)
        var slot = [Int](repeating: -1, count: r)
        var stored = 0
        let empty = AwardRow()
        for k in 0..<r {
            if n == 0 || masks & (1 << UInt64(k)) == 0 {
                constants[k] = n == 0 ? empty.words[k] : words[k]
            } else {
                slot[k] = stored
                stored += 1
            }
        }
        self.constants = constants
        self.slot = slot
        storage = .allocate(capacity: max(1, stored * n))
        let target = Columns(storage.baseAddress!)
        let columns = slot
        words.withUnsafeBufferPointer { rows in
            let source = Rows(rows.baseAddress)
            DispatchQueue.concurrentPerform(iterations: halves) { part in
                guard let rows = source.pointer else { return }
                let lower = n * part / halves, upper = n * (part + 1) / halves
                for k in 0..<r where columns[k] >= 0 {
                    let column = target.pointer + columns[k] * n
                    for row in lower..<upper { column[row] = rows[row * r + k] }
                }
            }
        }
    }

    deinit { storage.deallocate() }

    /// Stored column `k` (nil for a constant word).
    func column(_ k: Int) -> UnsafeBufferPointer<UInt32>? {
        guard slot[k] >= 0 else { return nil }
        return UnsafeBufferPointer(rebasing: storage[(slot[k] * count)..<((slot[k] + 1) * count)])
    }

    /// The rows, read by both threads of init.
    private struct Rows: @unchecked Sendable {
        // @unchecked: the threads only read the rows, which init's caller keeps alive until both end.
        let pointer: UnsafePointer<UInt32>?
        init(_ pointer: UnsafePointer<UInt32>?) { self.pointer = pointer }
    }

    /// The columns, written by both threads of init.
    private struct Columns: @unchecked Sendable {
        // @unchecked: the threads write disjoint rows of each column, and init waits for both.
        let pointer: UnsafeMutablePointer<UInt32>
        init(_ pointer: UnsafeMutablePointer<UInt32>) { self.pointer = pointer }
    }

    /// The words that differ, gathered from both threads.
    private final class Mask: Sendable {
        private let bits = Mutex<UInt64>(0)
        func add(_ more: UInt64) { bits.withLock { $0 |= more } }
        var value: UInt64 { bits.withLock { $0 } }
    }
}
