/// UTF-8 strings stored back to back, each addressed by a 32-bit index; those interned into one
/// table are stored once.
///
/// Gathering interns every text field of every award here straight from the source's bytes, so a
/// million grants to a few hundred thousand recipients hold each recipient's name once and no Swift
/// `String` is made while parsing; the plugin host makes a `String` only when a plugin reads a field.
/// Two readers' tables are joined by ``append(_:)`` without merging, so after a join a text may be
/// stored twice: compare texts, not indexes (award ids are the exception, kept one index per id by
/// ``AwardTable/append(_:originOffset:)``).
public struct StringTable: Sendable {
    /// Index meaning "no string" (an absent optional field).
    public static let none: UInt32 = .max

    /// Every string's bytes, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each string ends in `bytes`; string `i` starts where `i - 1` ends.
    public private(set) var ends: [UInt64] = []
    private var hashes: [UInt64] = []
    /// Open addressing: 0 is empty, otherwise the hash's top 32 bits above the string's index + 1,
    /// so that a probe rarely has to look at the string itself.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)

    /// The free slot the last failed lookup stopped at.
    private var probe = 0

    /// An empty table.
    public init() {}

    /// An empty table sized for about `expected` strings of `averageLength` bytes.
    public init(expected: Int, averageLength: Int = 16) {
        var capacity = 1024
        while capacity < expected * 2 { capacity <<= 1 }
        slots = HugePages.zeros(capacity)
        HugePages.reserve(&ends, expected)
        HugePages.reserve(&hashes, expected)
        HugePages.reserve(&bytes, expected * averageLength)
    }

    /// The number of distinct strings.
    public var count: Int { ends.count }

    /// A table read from a snapshot. Its lookup index is built on the first ``intern(_:)``: the
    /// plugin host only reads strings, and hashing a million of them would cost it a tenth of a second.
    init(bytes: [UInt8], ends: [UInt64]) {
        self.bytes = bytes
        self.ends = ends
        slots = []
    }

    private mutating func buildIndex() {
        var capacity = 1024
        while capacity < ends.count * 2 { capacity <<= 1 }
        slots = HugePages.zeros(capacity)
        if hashes.count != ends.count {
            hashes.removeAll()
            hashes.reserveCapacity(ends.count)
            bytes.withUnsafeBytes { all in
                for i in 0..<ends.count {
                    let start = i == 0 ? 0 : Int(ends[i - 1])
                    hashes.append(StringTable.hash(UnsafeRawBufferPointer(rebasing: all[start..<Int(ends[i])])))
                }
            }
        }
        for i in 0..<hashes.count { insertSlot(hash: hashes[i], index: UInt32(i)) }
    }

    /// Appends `other`'s strings after this table's, as they are: string `i` of `other` becomes
    /// `count + i` here (`count` as it was before). A text in both is then stored twice. The lookup
    /// index is rebuilt on the next ``intern(_:)``, if there is one.
    public mutating func append(_ other: StringTable) {
        let offset = UInt64(bytes.count)
        let complete = hashes.count == ends.count && other.hashes.count == other.ends.count
        bytes.append(contentsOf: other.bytes)
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(end + offset) }
        if complete { hashes.append(contentsOf: other.hashes) } else { hashes.removeAll() }
        slots = []
    }

    /// For each `k` such that `other`'s string `indexes[k]` is also in this table: `k` and its index
    /// here. Lookups only; a few are started ahead of the one being resolved, so that their cache
    /// misses overlap (most ids of one half of a file are not in the other half's table).
    public mutating func find(_ indexes: [UInt32], of other: StringTable) -> [(Int, UInt32)] {
        if slots.isEmpty { buildIndex() }
        let ahead = 8
        let (found, sink) = other.bytes.withUnsafeBytes { otherBytes in
            other.ends.withUnsafeBufferPointer { otherEnds in
                slots.withUnsafeBufferPointer { slots in
                    func text(_ k: Int) -> UnsafeRawBufferPointer {
                        let i = Int(indexes[k])
                        return UnsafeRawBufferPointer(rebasing: otherBytes[(i == 0 ? 0 : Int(otherEnds[i - 1]))..<Int(otherEnds[i])])
                    }
                    func hashOf(_ k: Int) -> UInt64 {
                        let i = Int(indexes[k])
                        return i < other.hashes.count ? other.hashes[i] : StringTable.hash(text(k))
                    }
                    let mask = slots.count - 1
                    var found: [(Int, UInt32)] = []
                    var sink: UInt64 = 0
                    for k in 0..<indexes.count {
                        if k + ahead < indexes.count { sink ^= slots[Int(truncatingIfNeeded: hashOf(k + ahead)) & mask] }
                        let h = hashOf(k)
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let entry = slots[slot]
                            if entry == 0 { break }
                            if entry & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000 {
                                let index = Int(UInt32(truncatingIfNeeded: entry) - 1)
                                if equals(index, text(k)) { found.append((k, UInt32(index))); break }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                    return (found, sink)
                }
            }
        }
        probe = Int(truncatingIfNeeded: sink & 1)  // keeps the look-ahead loads; `probe` is rewritten before use
        return found
    }

    /// The index of `text`'s bytes, adding them if they are new. The caller has checked they are UTF-8.
    public mutating func intern(_ text: UnsafeRawBufferPointer) -> UInt32 {
        if slots.isEmpty { buildIndex() }
        let h = StringTable.hash(text)
        let tag = h & 0xFFFF_FFFF_0000_0000
        let found: UInt32? = slots.withUnsafeBufferPointer { slotBuffer in
            let mask = slotBuffer.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let entry = slotBuffer[slot]
                if entry == 0 { probe = slot; return nil }
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let index = Int(UInt32(truncatingIfNeeded: entry) - 1)
                    if equals(index, text) { return UInt32(index) }
                }
                slot = (slot + 1) & mask
            }
        }
        if let found { return found }
        let index = UInt32(ends.count)
        precondition(index < StringTable.none, "more than 4 billion distinct strings")
        bytes.append(contentsOf: text)
        ends.append(UInt64(bytes.count))
        hashes.append(h)
        slots[probe] = tag | UInt64(index + 1)
        if ends.count * 2 > slots.count { grow() }
        return index
    }

    /// Loads the memory that interning these (up to four) strings will read — each one's first slot
    /// and, where the slot's tag matches, the candidate string's end and first bytes — as independent
    /// loads issued together, so that their cache misses overlap instead of following one another.
    ///
    /// On a million grants with a quarter of a million recipients, the lookups of ids, titles and
    /// recipients miss the cache nearly every time, and those misses were most of the gathering's
    /// time. The returned value means nothing; the caller keeps it somewhere so that the loads stay.
    public func warm(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer,
                     _ d: UnsafeRawBufferPointer) -> UInt64 {
        guard !slots.isEmpty else { return 0 }
        let ha = StringTable.hash(a), hb = StringTable.hash(b), hc = StringTable.hash(c), hd = StringTable.hash(d)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let ea = slots[Int(truncatingIfNeeded: ha) & mask], eb = slots[Int(truncatingIfNeeded: hb) & mask]
            let ec = slots[Int(truncatingIfNeeded: hc) & mask], ed = slots[Int(truncatingIfNeeded: hd) & mask]
            return ends.withUnsafeBufferPointer { ends in
                // The start of the string a slot names, when its tag is the hash's; 0 otherwise.
                func start(_ entry: UInt64, _ h: UInt64) -> Int {
                    guard entry != 0, entry & 0xFFFF_FFFF_0000_0000 == h & 0xFFFF_FFFF_0000_0000 else { return 0 }
                    let i = Int(UInt32(truncatingIfNeeded: entry)) - 1
                    return i == 0 ? 0 : Int(ends[i - 1])
                }
                let sa = start(ea, ha), sb = start(eb, hb), sc = start(ec, hc), sd = start(ed, hd)
                return bytes.withUnsafeBufferPointer { bytes in
                    guard !bytes.isEmpty else { return ea ^ eb ^ ec ^ ed }
                    let last = bytes.count - 1
                    return UInt64(bytes[min(sa, last)] ^ bytes[min(sb, last)] ^ bytes[min(sc, last)] ^ bytes[min(sd, last)])
                }
            }
        }
    }

    /// The index of `text`, adding it if it is new.
    public mutating func intern(_ text: String) -> UInt32 {
        var text = text
        return text.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The index of `text`, or ``none`` for nil.
    public mutating func intern(_ text: String?) -> UInt32 {
        guard let text else { return StringTable.none }
        return intern(text)
    }

    /// String `index` as a Swift string.
    public func string(_ index: UInt32) -> String {
        let i = Int(index)
        let start = i == 0 ? 0 : Int(ends[i - 1])
        return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<Int(ends[i])], as: UTF8.self) }
    }

    /// Every string, in index order: what the plugin host shares between awards.
    public func allStrings() -> [String] {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            return ends.map { end in
                defer { start = Int(end) }
                return String(decoding: all[start..<Int(end)], as: UTF8.self)
            }
        }
    }

    private func equals(_ index: Int, _ text: UnsafeRawBufferPointer) -> Bool {
        ends.withUnsafeBufferPointer { ends in
            let start = index == 0 ? 0 : Int(ends[index - 1])
            let end = Int(ends[index])
            guard end - start == text.count else { return false }
            return bytes.withUnsafeBytes { all in
                text.count == 0 || memcmp(all.baseAddress! + start, text.baseAddress!, text.count) == 0
            }
        }
    }

    private mutating func insertSlot(hash: UInt64, index: UInt32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
    }

    private mutating func grow() {
        slots = HugePages.zeros(slots.count * 2)
        for i in 0..<hashes.count { insertSlot(hash: hashes[i], index: UInt32(i)) }
    }

    /// A fast 64-bit hash of a short byte string, eight bytes at a step (not for adversarial input:
    /// a collision costs a comparison, never a wrong answer).
    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return h
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
