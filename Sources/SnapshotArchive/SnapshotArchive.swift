import Foundation
@_spi(AwardStore) import ReportKit

/// A gathered snapshot in the form that crosses to the plugin host: awards as an ``AwardTable``,
/// the other (small) kinds as records.
///
/// The file is `HRLDSNP1`, a version word, the row width, then length-prefixed sections, each padded
/// to a multiple of 8 bytes: strings (ends, bytes), lists (ends, items), provenance entries, award
/// rows as columns (``AwardColumns``), and the other records as JSON. Every integer is little-endian;
/// the plugin host reads the columns in place from the mapped file (``ArchiveAwards``), with no
/// per-record encoding or parsing on either side.
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

    /// The snapshot a plugin sees: its awards are read from this archive's encoded rows on access,
    /// as in the plugin host (``ArchiveAwards``).
    public func snapshot() -> Snapshot {
        // The encoding of an archive built in memory always decodes; a failure here is a bug.
        let bytes = AlignedBytes(try! encoded())
        let store = try! ArchiveAwards(bytes.buffer, owner: bytes)
        return Snapshot(organisations: others.organisations, awardStore: store, suppliers: others.suppliers,
                        milestones: others.milestones, statistics: others.statistics)
    }

    /// The snapshot of archive `bytes` (a mapped file that `owner` keeps alive), its awards read in
    /// place (``ArchiveAwards``) and its other records decoded.
    public static func snapshot(mapped bytes: UnsafeRawBufferPointer, owner: AnyObject) throws(FormatError) -> Snapshot {
        let store = try ArchiveAwards(bytes, owner: owner)
        let others = try SnapshotArchive.others(bytes, try ArchiveLayout(bytes))
        return Snapshot(organisations: others.organisations, awardStore: store, suppliers: others.suppliers,
                        milestones: others.milestones, statistics: others.statistics)
    }

    static let magic = Array("HRLDSNP1".utf8)
    /// 3: every section padded to a multiple of 8 bytes, so that a mapped file is read in place;
    /// award rows stored as columns (``AwardColumns``).
    static let version: UInt32 = 3

    /// Why bytes are not an archive.
    public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, with the byte offset.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The archive's bytes; equal archives give equal bytes.
    public func encoded() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(try encodedCount())
        try encode { out.append(contentsOf: $0) }
        return out
    }

    /// The length of ``encoded()``.
    public func encodedCount() throws -> Int {
        var n = 0
        try encode { n += $0.count }
        return n
    }

    /// Hands the archive's bytes to `write` in order, a piece at a time: the award rows and strings
    /// are passed straight from the table's arrays, so a writer copies them once, into the file.
    public func encode(_ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let encoder = JSONEncoder()
        // Sorted keys make equal records byte-identical, so equal snapshots share a hash.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let othersJSON = [UInt8](try encoder.encode(others))
        var header = SnapshotArchive.magic
        appendInteger(&header, SnapshotArchive.version)
        appendInteger(&header, UInt32(AwardTable.rowWords))
        try header.withUnsafeBytes(write)
        try writeSection(awards.strings.ends, write)
        try writeSection(awards.strings.bytes, write)
        try writeSection(awards.listEnds, write)
        try writeSection(awards.listItems, write)
        try writeSection(awards.provenanceWords, write)
        // The rows as columns (``AwardColumns``): the row count, then for each row word whether it
        // is stored (1, 0) or the same in every row (0, value), then each stored column.
        let columns = AwardColumns(rows: awards.words)
        try writeSection([UInt64(columns.count)], write)
        try writeSection(columns.constants.flatMap { $0.map { [0, $0] } ?? [1, 0] } as [UInt32], write)
        for k in 0..<AwardTable.rowWords {
            if let column = columns.column(k) { try writeSection(column, write) }
        }
        try writeSection(othersJSON, write)
    }

    /// Reads an archive from `bytes`, copying its sections into a table.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(FormatError) {
        let layout = try ArchiveLayout(bytes)
        func array<T: FixedWidthInteger>(_ s: ArchiveLayout.Section, _: T.Type) -> [T] {
            // The hosts Herald runs on are little-endian; a big-endian one would need a byte swap here.
            [T](unsafeUninitializedCapacity: s.count) { buffer, initialized in
                if s.count > 0 { memcpy(buffer.baseAddress!, bytes.baseAddress! + s.offset, s.count * MemoryLayout<T>.size) }
                initialized = s.count
            }
        }
        let stringEnds = array(layout.stringEnds, UInt64.self)
        let stringBytes = array(layout.stringBytes, UInt8.self)
        guard stringEnds.last.map({ Int($0) == stringBytes.count }) ?? stringBytes.isEmpty,
            zip(stringEnds, stringEnds.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw FormatError(message: "snapshot string table is inconsistent") }
        var table = AwardTable()
        table.strings = StringTable(bytes: stringBytes, ends: stringEnds)
        table.listEnds = array(layout.listEnds, UInt64.self)
        table.listItems = array(layout.listItems, UInt32.self)
        table.provenanceWords = array(layout.provenanceWords, UInt32.self)
        table.words = [UInt32](unsafeUninitializedCapacity: layout.rowCount * AwardTable.rowWords) { rows, initialized in
            for (k, column) in layout.columns.enumerated() {
                switch column {
                case .same(let value):
                    for row in 0..<layout.rowCount { rows[row * AwardTable.rowWords + k] = value }
                case .stored(let s):
                    let values = (bytes.baseAddress! + s.offset)
                    for row in 0..<layout.rowCount {
                        rows[row * AwardTable.rowWords + k] = values.loadUnaligned(fromByteOffset: row * 4, as: UInt32.self)
                    }
                }
            }
            initialized = layout.rowCount * AwardTable.rowWords
        }
        guard table.listEnds.last.map({ Int($0) == table.listItems.count }) ?? table.listItems.isEmpty,
            zip(table.listEnds, table.listEnds.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw FormatError(message: "snapshot award rows are inconsistent") }
        try table.checkReferences()
        others = try SnapshotArchive.others(bytes, layout)
        awards = table
    }

    /// The records other than awards, from their JSON section.
    static func others(_ bytes: UnsafeRawBufferPointer, _ layout: ArchiveLayout) throws(FormatError) -> Snapshot {
        let json = Data(bytes[layout.othersJSON.offset..<(layout.othersJSON.offset + layout.othersJSON.count)])
        do {
            return try JSONDecoder().decode(Snapshot.self, from: json)
        } catch {
            throw FormatError(message: "snapshot records are not valid: \(error)")
        }
    }

    private func appendInteger<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// A section: its element count, its elements, then zeros up to a multiple of 8 bytes.
    private func writeSection<T: FixedWidthInteger>(_ values: [T], _ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try values.withUnsafeBufferPointer { try writeSection($0, write) }
    }

    private func writeSection<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>,
                                                    _ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withUnsafeBytes(of: UInt64(values.count).littleEndian) { try write($0) }
        // The hosts Herald runs on are little-endian; a big-endian one would need a byte swap here.
        try write(UnsafeRawBufferPointer(values))
        let padding = ArchiveLayout.padded(values.count * MemoryLayout<T>.size) - values.count * MemoryLayout<T>.size
        if padding > 0 {
            let zeros: UInt64 = 0
            try withUnsafeBytes(of: zeros) { try write(UnsafeRawBufferPointer(rebasing: $0[0..<padding])) }
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
