import Foundation
@_spi(AwardStore) import ReportKit

/// The awards of an encoded ``SnapshotArchive``, read in place: each ``Award`` field is read from its
/// row when a plugin asks for it (``ReportKit/AwardStore``).
///
/// The plugin host maps the snapshot file and hands plugins these rows instead of building a million
/// `Award` values up front: a plugin that filters by date reads a date per row, and only the awards
/// it keeps are ever read further. Strings are made from the file's bytes on each access.
final class ArchiveAwards: AwardStore, @unchecked Sendable {
    // @unchecked: the pointers below point into `owner`'s bytes, which nothing writes after this
    // object is made and which live as long as it does; every other property is immutable.
    private let owner: AnyObject
    /// Each row word's column, nil for a word that is the same in every row (``AwardColumns``).
    private let columns: [UnsafePointer<UInt32>?]
    /// The value of each word that is the same in every row.
    private let constants: [UInt32]
    let awardCount: Int
    private let stringEnds: UnsafePointer<UInt64>
    private let stringCount: Int
    private let stringBytes: UnsafePointer<UInt8>
    private let listEnds: UnsafePointer<UInt64>
    private let listCount: Int
    private let listItems: UnsafePointer<UInt32>
    /// Provenance entries, few (one per distinct data source): made once.
    private let provenanceEntries: [Provenance]

    /// Reads the award sections of archive `bytes`, which `owner` keeps alive and unchanged, checking
    /// that every index in every row points inside the archive (so that no later access can trap on
    /// a damaged file that still has the right hash). `bytes` must start 8-byte aligned.
    init(_ bytes: UnsafeRawBufferPointer, owner: AnyObject) throws(SnapshotArchive.FormatError) {
        let layout = try ArchiveLayout(bytes)
        guard let base = bytes.baseAddress, Int(bitPattern: base) % 8 == 0 else {
            throw SnapshotArchive.FormatError(message: "snapshot bytes are not 8-byte aligned")
        }
        func pointer<T>(_ s: ArchiveLayout.Section, _: T.Type) -> UnsafePointer<T> {
            (base + s.offset).assumingMemoryBound(to: T.self)
        }
        self.owner = owner
        columns = layout.columns.map { column in
            if case .stored(let s) = column { pointer(s, UInt32.self) } else { nil }
        }
        constants = layout.columns.map { column in
            if case .same(let value) = column { value } else { 0 }
        }
        awardCount = layout.rowCount
        stringEnds = pointer(layout.stringEnds, UInt64.self)
        stringCount = layout.stringEnds.count
        stringBytes = pointer(layout.stringBytes, UInt8.self)
        listEnds = pointer(layout.listEnds, UInt64.self)
        listCount = layout.listEnds.count
        listItems = pointer(layout.listItems, UInt32.self)
        guard ArchiveAwards.ascending(stringEnds, stringCount, endingAt: layout.stringBytes.count) else {
            throw SnapshotArchive.FormatError(message: "snapshot string table is inconsistent")
        }
        guard ArchiveAwards.ascending(listEnds, listCount, endingAt: layout.listItems.count) else {
            throw SnapshotArchive.FormatError(message: "snapshot award rows are inconsistent")
        }
        let provenanceWords = UnsafeBufferPointer(start: pointer(layout.provenanceWords, UInt32.self),
                                                  count: layout.provenanceWords.count)
        try ArchiveAwards.checkRows(columns, constants, rows: awardCount, provenanceWords,
                                    stringCount: UInt32(stringCount), listCount: UInt32(listCount))
        var entries: [Provenance] = []
        let confidences = Provenance.Confidence.allCases
        let (ends, bytes) = (stringEnds, stringBytes)
        for base in stride(from: 0, to: provenanceWords.count, by: ProvenanceRow.wordCount) {
            func entryText(_ k: Int) -> String? {
                let s = provenanceWords[base + k]
                return s == StringTable.none ? nil : ArchiveAwards.string(s, ends, bytes)
            }
            entries.append(Provenance(
                url: entryText(0).flatMap { URL(string: $0) }, publisher: entryText(1), title: entryText(2),
                published: AwardTable.unpack(provenanceWords[base + 3]), quote: entryText(4),
                confidence: confidences[min(Int(provenanceWords[base + 5]), confidences.count - 1)]))
        }
        provenanceEntries = entries
    }

    private static func ascending(_ ends: UnsafePointer<UInt64>, _ count: Int, endingAt total: Int) -> Bool {
        guard count > 0 else { return total == 0 }
        var previous: UInt64 = 0
        for i in 0..<count {
            guard ends[i] >= previous else { return false }
            previous = ends[i]
        }
        return previous == UInt64(total)
    }

    private static func checkRows(_ columns: [UnsafePointer<UInt32>?], _ constants: [UInt32], rows: Int,
                                  _ provenance: UnsafeBufferPointer<UInt32>,
                                  stringCount: UInt32, listCount: UInt32) throws(SnapshotArchive.FormatError) {
        // `none` is UInt32.max, so one unsigned comparison `value &+ 1 <= limit` accepts both it and
        // an index below the limit.
        @inline(__always) func ok(_ value: UInt32, below limit: UInt32) -> Bool { value &+ 1 <= limit }
        let limits = AwardRow.stringWords.map { ($0, stringCount) }
            + [AwardRow.supplierIdsWord, AwardRow.supportTypesWord, AwardRow.provenanceWord].map { ($0, listCount) }
        // With no rows, the words' values (written for the format's sake) point at nothing.
        for (k, limit) in limits where rows > 0 {
            guard let column = columns[k] else {
                guard ok(constants[k], below: limit) else {
                    throw SnapshotArchive.FormatError(message: "snapshot award rows point outside the table")
                }
                continue
            }
            var good = true
            for row in 0..<rows { good = good && ok(column[row], below: limit) }
            guard good else {
                let row = (0..<rows).first { !ok(column[$0], below: limit) } ?? 0
                throw SnapshotArchive.FormatError(message: "snapshot award row \(row) points outside the table")
            }
        }
        for base in stride(from: 0, to: provenance.count, by: ProvenanceRow.wordCount) {
            guard ProvenanceRow.stringWords.allSatisfy({ ok(provenance[base + $0], below: stringCount) }) else {
                throw SnapshotArchive.FormatError(message: "snapshot provenance entry points outside the table")
            }
        }
    }

    // MARK: - Reading a row

    @inline(__always) private func word(_ row: Int, _ k: Int) -> UInt32 {
        precondition(row >= 0 && row < awardCount, "award row out of range")
        guard let column = columns[k] else { return constants[k] }
        return column[row]
    }

    private static func string(_ s: UInt32, _ ends: UnsafePointer<UInt64>, _ bytes: UnsafePointer<UInt8>) -> String {
        let i = Int(s)
        let start = i == 0 ? 0 : Int(ends[i - 1])
        return String(decoding: UnsafeBufferPointer(start: bytes + start, count: Int(ends[i]) - start), as: UTF8.self)
    }

    /// String field `k` of `row`, nil when absent.
    @inline(__always) private func text(_ row: Int, _ k: Int) -> String? {
        let s = word(row, k)
        return s == StringTable.none ? nil : ArchiveAwards.string(s, stringEnds, stringBytes)
    }

    /// The items of list `l` (none for ``StringTable/none``).
    private func items(_ l: UInt32) -> UnsafeBufferPointer<UInt32> {
        guard l != StringTable.none else { return UnsafeBufferPointer(start: listItems, count: 0) }
        let i = Int(l)
        let start = i == 0 ? 0 : Int(listEnds[i - 1])
        return UnsafeBufferPointer(start: listItems + start, count: Int(listEnds[i]) - start)
    }

    private func strings(_ row: Int, _ k: Int) -> [String] {
        // A list item is checked here rather than up front: whether a list holds strings or
        // provenance entries is known only from the rows that use it.
        items(word(row, k)).map { Int($0) < stringCount ? ArchiveAwards.string($0, stringEnds, stringBytes) : "" }
    }

    private func date(_ row: Int, _ k: Int) -> LocalDate? { AwardTable.unpack(word(row, k)) }

    private func flag(_ row: Int, _ flag: UInt32) -> Bool { word(row, AwardRow.flagsWord) & flag != 0 }

    private func pair(_ row: Int, _ k: Int) -> UInt64 { UInt64(word(row, k + 1)) << 32 | UInt64(word(row, k)) }

    func id(_ row: Int) -> String { text(row, 0) ?? "" }
    func title(_ row: Int) -> String { text(row, 1) ?? "" }
    func description(_ row: Int) -> String { text(row, 2) ?? "" }

    func amount(_ row: Int) -> Money {
        let value: Decimal
        if flag(row, AwardRow.Flag.amountText) {
            value = Decimal(string: text(row, 22) ?? "", locale: Locale(identifier: "en_US_POSIX")) ?? 0
        } else {
            value = Decimal(sign: flag(row, AwardRow.Flag.negative) ? .minus : .plus,
                            exponent: Int(Int32(bitPattern: word(row, 20))), significand: Decimal(pair(row, 18)))
        }
        return Money(value, currency: text(row, 3) ?? "")
    }

    func amountIsApproximate(_ row: Int) -> Bool { flag(row, AwardRow.Flag.approximate) }
    func awardDate(_ row: Int) -> LocalDate { date(row, 23) ?? LocalDate(year: 1)! }
    func recipientId(_ row: Int) -> String { text(row, 4) ?? "" }
    func recipientName(_ row: Int) -> String { text(row, 5) ?? "" }
    func funderId(_ row: Int) -> String? { text(row, 6) }
    func funderName(_ row: Int) -> String? { text(row, 7) }
    func supplierIds(_ row: Int) -> [String] { strings(row, AwardRow.supplierIdsWord) }

    func programme(_ row: Int) -> Award.Programme? {
        text(row, 9).map { Award.Programme(code: text(row, 8), title: $0) }
    }

    func sector(_ row: Int) -> String? { text(row, 10) }
    func supportTypes(_ row: Int) -> [String] { strings(row, AwardRow.supportTypesWord) }
    func plannedStart(_ row: Int) -> LocalDate? { date(row, 24) }
    func plannedEnd(_ row: Int) -> LocalDate? { date(row, 25) }

    func durationMonths(_ row: Int) -> Int? {
        flag(row, AwardRow.Flag.duration) ? Int(Int64(bitPattern: pair(row, 26))) : nil
    }

    func fromOpenCall(_ row: Int) -> Bool? {
        flag(row, AwardRow.Flag.openCallKnown) ? flag(row, AwardRow.Flag.openCall) : nil
    }

    func dateModified(_ row: Int) -> Date? {
        flag(row, AwardRow.Flag.dateModified) ? Date(timeIntervalSinceReferenceDate: Double(bitPattern: pair(row, 28))) : nil
    }

    func provenance(_ row: Int) -> [Provenance] {
        items(word(row, AwardRow.provenanceWord)).map { Int($0) < provenanceEntries.count ? provenanceEntries[Int($0)] : Provenance() }
    }

    func origin(_ row: Int) -> RecordOrigin? {
        guard flag(row, AwardRow.Flag.origin) else { return nil }
        var location = text(row, 15) ?? ""
        if flag(row, AwardRow.Flag.originIndex) { location += String(pair(row, AwardRow.originIndexWord)) }
        return RecordOrigin(source: text(row, 14) ?? "", location: location)
    }
}
