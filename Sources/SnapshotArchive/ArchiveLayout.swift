/// Where each section of an encoded ``SnapshotArchive`` lies, read from its header and length prefixes
/// without copying anything: the plugin host reads awards straight out of the mapped file.
///
/// Every section is padded to a multiple of 8 bytes, so that each starts aligned for its element
/// type when the bytes are (a mapped file, or memory from ``AlignedBytes``).
struct ArchiveLayout {
    /// A row word as the file stores it.
    enum Column {
        /// The same value in every row.
        case same(UInt32)
        /// One value per row.
        case stored(Section)
    }

    /// A section: its byte offset and element count.
    struct Section {
        var offset: Int
        var count: Int
    }

    var stringEnds = Section(offset: 0, count: 0)
    var stringBytes = Section(offset: 0, count: 0)
    var listEnds = Section(offset: 0, count: 0)
    var listItems = Section(offset: 0, count: 0)
    var provenanceWords = Section(offset: 0, count: 0)
    /// The number of award rows.
    var rowCount = 0
    /// For each row word: its column, or the one value every row has.
    var columns: [Column] = []
    var othersJSON = Section(offset: 0, count: 0)

    /// Reads the header and section bounds of `bytes`, checking that they fit together; the contents
    /// are checked by ``ArchiveAwards/checkReferences()``.
    init(_ bytes: UnsafeRawBufferPointer) throws(SnapshotArchive.FormatError) {
        guard bytes.count >= 16, Array(bytes[0..<8]) == SnapshotArchive.magic else {
            throw SnapshotArchive.FormatError(message: "not a Herald snapshot (no HRLDSNP1 header)")
        }
        var offset = 8
        func integer<T: FixedWidthInteger>(_: T.Type) throws(SnapshotArchive.FormatError) -> T {
            guard offset + MemoryLayout<T>.size <= bytes.count else {
                throw SnapshotArchive.FormatError(message: "snapshot ends early at byte \(offset)")
            }
            defer { offset += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        func section<T: FixedWidthInteger>(_: T.Type) throws(SnapshotArchive.FormatError) -> Section {
            let count = try integer(UInt64.self)
            let size = MemoryLayout<T>.size
            guard count <= UInt64(bytes.count - offset) / UInt64(size) else {
                throw SnapshotArchive.FormatError(message: "snapshot section at byte \(offset) runs past the end")
            }
            let s = Section(offset: offset, count: Int(count))
            offset += ArchiveLayout.padded(s.count * size)
            guard offset <= bytes.count else {
                throw SnapshotArchive.FormatError(message: "snapshot section at byte \(s.offset) runs past the end")
            }
            return s
        }
        let version = try integer(UInt32.self)
        guard version == SnapshotArchive.version else {
            throw SnapshotArchive.FormatError(message: "snapshot format version \(version), this build reads \(SnapshotArchive.version)")
        }
        let rowWords = try integer(UInt32.self)
        guard rowWords == UInt32(AwardTable.rowWords) else {
            throw SnapshotArchive.FormatError(message: "snapshot rows have \(rowWords) words, this build reads \(AwardTable.rowWords)")
        }
        stringEnds = try section(UInt64.self)
        stringBytes = try section(UInt8.self)
        listEnds = try section(UInt64.self)
        listItems = try section(UInt32.self)
        provenanceWords = try section(UInt32.self)
        let shape = try section(UInt64.self)
        guard shape.count == 1 else { throw SnapshotArchive.FormatError(message: "snapshot award rows are inconsistent") }
        let rows = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: shape.offset, as: UInt64.self))
        guard rows <= UInt64(bytes.count) else {
            throw SnapshotArchive.FormatError(message: "snapshot award rows are inconsistent")
        }
        rowCount = Int(rows)
        let spec = try section(UInt32.self)
        guard spec.count == 2 * AwardTable.rowWords else {
            throw SnapshotArchive.FormatError(message: "snapshot award rows are inconsistent")
        }
        for k in 0..<AwardTable.rowWords {
            func word(_ i: Int) -> UInt32 {
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: spec.offset + 4 * i, as: UInt32.self))
            }
            if word(2 * k) == 0 {
                columns.append(.same(word(2 * k + 1)))
            } else {
                let column = try section(UInt32.self)
                guard column.count == rowCount else {
                    throw SnapshotArchive.FormatError(message: "snapshot award column \(k) has \(column.count) rows, not \(rowCount)")
                }
                columns.append(.stored(column))
            }
        }
        othersJSON = try section(UInt8.self)
        guard offset == bytes.count else {
            throw SnapshotArchive.FormatError(message: "snapshot has \(bytes.count - offset) bytes after its end")
        }
        guard provenanceWords.count % ProvenanceRow.wordCount == 0 else {
            throw SnapshotArchive.FormatError(message: "snapshot award rows are inconsistent")
        }
    }

    /// `n` rounded up to a multiple of 8.
    static func padded(_ n: Int) -> Int { (n + 7) & ~7 }
}
