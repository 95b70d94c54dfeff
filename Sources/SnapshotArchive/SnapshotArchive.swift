import Foundation
import ReportKit

/// A gathered snapshot in the form that crosses to the plugin host: awards as an ``AwardTable``,
/// the other (small) kinds as records.
///
/// The file is `HRLDSNP1`, a version word, then length-prefixed sections: strings (ends, bytes),
/// lists (ends, items), provenance entries, award rows, and the other records as JSON. Every integer
/// is little-endian; the award rows are the table's words as they are, so writing costs a copy and
/// reading a copy, with no per-record encoding or parsing on either side.
public struct SnapshotArchive: Sendable {
    /// The awards.
    public var awards: AwardTable
    /// Organisations, suppliers, milestones and statistics; its `awards` is empty.
    public var others: Snapshot

    /// Creates an archive.
    public init(awards: AwardTable = AwardTable(), others: Snapshot = .empty) {
        self.awards = awards
        self.others = others
    }

    /// The archive of a snapshot built in memory (tests, small data).
    public init(_ snapshot: Snapshot) {
        var table = AwardTable()
        for award in snapshot.awards { table.append(award) }
        self.init(awards: table, others: Snapshot(organisations: snapshot.organisations, suppliers: snapshot.suppliers,
                                                   milestones: snapshot.milestones, statistics: snapshot.statistics))
    }

    /// The snapshot a plugin sees.
    public func snapshot() -> Snapshot {
        Snapshot(organisations: others.organisations, awards: awards.awards(), suppliers: others.suppliers,
                 milestones: others.milestones, statistics: others.statistics)
    }

    static let magic = Array("HRLDSNP1".utf8)
    static let version: UInt32 = 1

    /// Why bytes are not an archive.
    public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, with the byte offset.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The archive's bytes; equal archives give equal bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        // Sorted keys make equal records byte-identical, so equal snapshots share a hash.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let othersJSON = try encoder.encode(others)
        var out: [UInt8] = []
        out.reserveCapacity(64 + awards.strings.bytes.count + awards.strings.ends.count * 8 + awards.words.count * 4
            + awards.listItems.count * 4 + awards.listEnds.count * 8 + awards.provenanceWords.count * 4 + othersJSON.count)
        out += SnapshotArchive.magic
        appendInteger(&out, SnapshotArchive.version)
        appendInteger(&out, UInt32(AwardTable.rowWords))
        appendArray(&out, awards.strings.ends)
        appendArray(&out, awards.strings.bytes)
        appendArray(&out, awards.listEnds)
        appendArray(&out, awards.listItems)
        appendArray(&out, awards.provenanceWords)
        appendArray(&out, awards.words)
        appendArray(&out, Array(othersJSON))
        return out
    }

    /// Reads an archive from `bytes`.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(FormatError) {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= 16, Array(bytes[0..<8]) == SnapshotArchive.magic else {
            throw FormatError(message: "not a Herald snapshot (no HRLDSNP1 header)")
        }
        reader.offset = 8
        let version: UInt32 = try reader.integer()
        guard version == SnapshotArchive.version else {
            throw FormatError(message: "snapshot format version \(version), this build reads \(SnapshotArchive.version)")
        }
        let rowWords: UInt32 = try reader.integer()
        guard rowWords == UInt32(AwardTable.rowWords) else {
            throw FormatError(message: "snapshot rows have \(rowWords) words, this build reads \(AwardTable.rowWords)")
        }
        let stringEnds: [UInt64] = try reader.array()
        let stringBytes: [UInt8] = try reader.array()
        var table = AwardTable()
        guard stringEnds.last.map({ Int($0) == stringBytes.count }) ?? stringBytes.isEmpty,
            zip(stringEnds, stringEnds.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw FormatError(message: "snapshot string table is inconsistent") }
        table.strings = StringTable(bytes: stringBytes, ends: stringEnds)
        table.listEnds = try reader.array()
        table.listItems = try reader.array()
        table.provenanceWords = try reader.array()
        table.words = try reader.array()
        let othersJSON: [UInt8] = try reader.array()
        guard reader.offset == bytes.count else { throw FormatError(message: "snapshot has \(bytes.count - reader.offset) bytes after its end") }
        guard table.words.count % AwardTable.rowWords == 0, table.provenanceWords.count % ProvenanceRow.wordCount == 0,
            table.listEnds.last.map({ Int($0) == table.listItems.count }) ?? table.listItems.isEmpty
        else { throw FormatError(message: "snapshot award rows are inconsistent") }
        try table.checkReferences()
        do {
            others = try JSONDecoder().decode(Snapshot.self, from: Data(othersJSON))
        } catch {
            throw FormatError(message: "snapshot records are not valid: \(error)")
        }
        awards = table
    }

    private func appendInteger<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private func appendArray<T: FixedWidthInteger>(_ out: inout [UInt8], _ values: [T]) {
        appendInteger(&out, UInt64(values.count))
        // The hosts Herald runs on are little-endian; a big-endian one would need a byte swap here.
        values.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func integer<T: FixedWidthInteger>() throws(FormatError) -> T {
            guard offset + MemoryLayout<T>.size <= bytes.count else { throw FormatError(message: "snapshot ends early at byte \(offset)") }
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }

        mutating func array<T: FixedWidthInteger>() throws(FormatError) -> [T] {
            let count: UInt64 = try integer()
            let size = MemoryLayout<T>.size
            guard count <= UInt64(bytes.count - offset) / UInt64(size) else {
                throw FormatError(message: "snapshot section at byte \(offset) runs past the end")
            }
            let n = Int(count)
            let result = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                if n > 0 { memcpy(buffer.baseAddress!, bytes.baseAddress! + offset, n * size) }
                initialized = n
            }
            offset += n * size
            return result
        }
    }
}

extension AwardTable {
    /// Every index in every row points inside the table, so that building awards cannot trap on a
    /// damaged file that still has the right hash.
    func checkReferences() throws(SnapshotArchive.FormatError) {
        let stringCount = UInt32(strings.count), listCount = UInt32(listEnds.count)
        let provenanceCount = UInt32(provenanceWords.count / ProvenanceRow.wordCount)
        func ok(_ value: UInt32, below limit: UInt32) -> Bool { value == StringTable.none || value < limit }
        for base in stride(from: 0, to: words.count, by: AwardTable.rowWords) {
            guard AwardRow.stringWords.allSatisfy({ ok(words[base + $0], below: stringCount) }),
                ok(words[base + AwardRow.supplierIdsWord], below: listCount),
                ok(words[base + AwardRow.supportTypesWord], below: listCount),
                ok(words[base + AwardRow.provenanceWord], below: listCount)
            else { throw SnapshotArchive.FormatError(message: "snapshot award row \(base / AwardTable.rowWords) points outside the table") }
        }
        for base in stride(from: 0, to: provenanceWords.count, by: ProvenanceRow.wordCount) {
            guard ProvenanceRow.stringWords.allSatisfy({ ok(provenanceWords[base + $0], below: stringCount) }) else {
                throw SnapshotArchive.FormatError(message: "snapshot provenance entry points outside the table")
            }
        }
        _ = provenanceCount
    }
}
