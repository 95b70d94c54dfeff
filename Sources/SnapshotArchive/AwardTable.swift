/// Awards as fixed-width rows of 32-bit words over a shared ``StringTable``: the form gathering
/// builds, the snapshot file stores as columns (``AwardColumns``), and the plugin host reads in place
/// (``ArchiveAwards``).
///
/// A row costs 128 bytes and no allocation, against about 450 bytes plus a heap block per distinct
/// text for an `Award`, so a million awards are gathered, checked, summed and handed over without a
/// million structs on the gathering side.
public struct AwardTable: Sendable {
    /// Words per row.
    public static let rowWords = 32

    /// The texts every row points into.
    public var strings = StringTable()
    /// Rows back to back, ``rowWords`` each; ``AwardRow`` names the words.
    public internal(set) var words: [UInt32] = []
    /// Lists of 32-bit items (string indexes for supplier ids and support types, provenance entry
    /// indexes for provenance), back to back; list `i` ends at `listEnds[i]`.
    public internal(set) var listItems: [UInt32] = []
    /// Where each list ends in `listItems`.
    public internal(set) var listEnds: [UInt64] = []
    /// Provenance entries, ``ProvenanceRow/words`` each.
    public internal(set) var provenanceWords: [UInt32] = []

    private var listIndex: [[UInt32]: UInt32] = [:]
    private var provenanceIndex: [[UInt32]: UInt32] = [:]
    /// The one-entry provenance list `[Provenance(url: u)]` by the string index of `u`: the common
    /// 360Giving case (`dataSource`), looked up without building a key.
    private var urlOnlyProvenance: [UInt32: UInt32] = [:]

    /// An empty table.
    public init() {}

    /// An empty table sized for about `expected` awards.
    public init(expected: Int) {
        // About two distinct texts per award (its id, and a share of titles and recipients): sized so
        // that the lookup table does not have to grow part-way through, which rehashes every string.
        strings = StringTable(expected: expected * 2, averageLength: 24)
        HugePages.reserve(&words, expected * AwardTable.rowWords)
    }

    /// The number of awards.
    public var count: Int { words.count / AwardTable.rowWords }

    /// Makes room for `rows` rows in all.
    public mutating func reserveRows(_ rows: Int) {
        HugePages.reserve(&words, rows * AwardTable.rowWords)
    }

    /// Appends a row built by the caller (``AwardRow``).
    public mutating func append(_ row: AwardRow) {
        let start = words.count
        words.append(contentsOf: repeatElement(0, count: AwardTable.rowWords))
        words.withUnsafeMutableBufferPointer { all in
            for k in 0..<AwardTable.rowWords { all[start + k] = row.words[k] }
        }
    }

    /// Row `i`.
    public func row(_ i: Int) -> AwardRow {
        let start = i * AwardTable.rowWords
        var row = AwardRow()
        for k in 0..<AwardTable.rowWords { row.words[k] = words[start + k] }
        return row
    }

    /// Keeps only the rows whose positions are in `keep` (ascending).
    public mutating func keepRows(_ keep: [Int]) {
        var kept: [UInt32] = []
        kept.reserveCapacity(keep.count * AwardTable.rowWords)
        for i in keep { kept.append(contentsOf: words[(i * AwardTable.rowWords)..<((i + 1) * AwardTable.rowWords)]) }
        words = kept
    }

    /// The index of a list with these items, adding it if new; ``StringTable/none`` for an empty list.
    public mutating func internList(_ items: [UInt32]) -> UInt32 {
        guard !items.isEmpty else { return StringTable.none }
        if let existing = listIndex[items] { return existing }
        let index = UInt32(listEnds.count)
        listItems.append(contentsOf: items)
        listEnds.append(UInt64(listItems.count))
        listIndex[items] = index
        return index
    }

    /// The items of list `index` (empty for ``StringTable/none``).
    public func list(_ index: UInt32) -> ArraySlice<UInt32> {
        guard index != StringTable.none else { return [] }
        let i = Int(index)
        return listItems[(i == 0 ? 0 : Int(listEnds[i - 1]))..<Int(listEnds[i])]
    }

    /// The index of a provenance entry, adding it if new.
    public mutating func internProvenance(_ entry: ProvenanceRow) -> UInt32 {
        if let existing = provenanceIndex[entry.words] { return existing }
        let index = UInt32(provenanceWords.count / ProvenanceRow.wordCount)
        provenanceWords.append(contentsOf: entry.words)
        provenanceIndex[entry.words] = index
        return index
    }

    /// The provenance list `[Provenance(url: <string url>)]`.
    public mutating func urlOnlyProvenanceList(url: UInt32) -> UInt32 {
        if let list = urlOnlyProvenance[url] { return list }
        var entry = ProvenanceRow()
        entry.url = url
        let list = internList([internProvenance(entry)])
        urlOnlyProvenance[url] = list
        return list
    }

    /// Provenance entry `index`.
    public func provenance(_ index: UInt32) -> ProvenanceRow {
        let start = Int(index) * ProvenanceRow.wordCount
        return ProvenanceRow(words: Array(provenanceWords[start..<(start + ProvenanceRow.wordCount)]))
    }

    /// Appends `other`'s rows after this table's, re-pointing their strings and lists into this table
    /// and adding `originOffset` to their origin numbers (a second parser started part-way through
    /// the file counts grants or lines from zero).
    ///
    /// `other`'s strings are added after this table's as they are, not looked up one by one (that
    /// took a third of a second, on one core, for the second half of a million grants): a text in
    /// both tables is then stored twice, which costs a little space and changes no award. Ids are
    /// the exception, since duplicates are found by string index: an id of `other` that this table
    /// already has is pointed at this table's copy.
    public mutating func append(_ other: AwardTable, originOffset: UInt64 = 0) {
        // Into an empty table (one source, or the first of several), the other table is the answer.
        if count == 0 && strings.count == 0 && listEnds.isEmpty && provenanceWords.isEmpty && originOffset == 0 {
            self = other
            return
        }
        let otherIds = stride(from: 0, to: other.words.count, by: AwardTable.rowWords).map { other.words[$0] }
        var sameIds: [UInt32: UInt32] = [:]
        for (k, existing) in strings.find(otherIds, of: other.strings) { sameIds[otherIds[k]] = existing }
        // A string word that is the same in every row of `other` (its currency, funder, source) is
        // pointed at this table's copy too, so that the word stays the same in every row of the joined
        // table and the snapshot file stores it once (``AwardColumns``).
        var sameInEveryRow = [UInt32?](repeating: nil, count: AwardTable.rowWords)
        if other.count > 0 {
            // One pass over the rows for every string word at once.
            var differs = [Bool](repeating: false, count: AwardTable.rowWords)
            other.words.withUnsafeBufferPointer { rows in
                var base = AwardTable.rowWords
                while base < rows.count {
                    for k in AwardRow.stringWords where rows[base + k] != rows[k] { differs[k] = true }
                    base += AwardTable.rowWords
                }
            }
            let candidates = AwardRow.stringWords.filter { $0 != 0 && !differs[$0] && other.words[$0] != StringTable.none }
            let found = strings.find(candidates.map { other.words[$0] }, of: other.strings)
            for (i, existing) in found { sameInEveryRow[candidates[i]] = existing }
        }
        // Provenance entries are few (one per data source): their strings are looked up here, so that
        // an entry both tables have (a file's data source) stays one entry.
        let entryStrings = other.provenanceWords.enumerated()
            .filter { ProvenanceRow.stringWords.contains($0.offset % ProvenanceRow.wordCount) && $0.element != StringTable.none }
            .map(\.element)
        var sharedStrings: [UInt32: UInt32] = [:]
        for (k, existing) in strings.find(entryStrings, of: other.strings) { sharedStrings[entryStrings[k]] = existing }
        let stringOffset = UInt32(strings.count)
        strings.append(other.strings)
        func mapString(_ s: UInt32) -> UInt32 { s == StringTable.none ? s : s + stringOffset }
        var provenanceMap: [UInt32] = []
        for i in 0..<(other.provenanceWords.count / ProvenanceRow.wordCount) {
            var entry = other.provenance(UInt32(i))
            for k in ProvenanceRow.stringWords { entry.words[k] = sharedStrings[entry.words[k]] ?? mapString(entry.words[k]) }
            provenanceMap.append(internProvenance(entry))
        }
        // A list holds string indexes (supplier ids, support types) or provenance indexes; which one
        // is known only from the rows that use it.
        var isProvenanceList = [Bool](repeating: false, count: other.listEnds.count)
        for base in stride(from: AwardRow.provenanceWord, to: other.words.count, by: AwardTable.rowWords)
        where other.words[base] != StringTable.none {
            isProvenanceList[Int(other.words[base])] = true
        }
        var listMap: [UInt32] = []
        listMap.reserveCapacity(other.listEnds.count)
        for i in 0..<other.listEnds.count {
            let items = other.list(UInt32(i))
            listMap.append(internList(isProvenanceList[i] ? items.map { provenanceMap[Int($0)] } : items.map(mapString)))
        }
        let first = words.count
        words.reserveCapacity(words.count + other.words.count)
        words.append(contentsOf: other.words)
        words.withUnsafeMutableBufferPointer { all in
            var base = first
            while base < all.count {
                let id = all[base]
                for k in AwardRow.stringWords { all[base + k] = sameInEveryRow[k] ?? mapString(all[base + k]) }
                if !sameIds.isEmpty, let existing = sameIds[id] { all[base] = existing }
                for k in AwardRow.supplierIdsWord...AwardRow.provenanceWord where all[base + k] != StringTable.none {
                    all[base + k] = listMap[Int(all[base + k])]
                }
                let flags = base + AwardRow.flagsWord
                if originOffset != 0 && all[flags] & AwardRow.Flag.originIndex != 0 {
                    let o = base + AwardRow.originIndexWord
                    let value = (UInt64(all[o + 1]) << 32 | UInt64(all[o])) + originOffset
                    all[o] = UInt32(truncatingIfNeeded: value)
                    all[o + 1] = UInt32(truncatingIfNeeded: value >> 32)
                }
                base += AwardTable.rowWords
            }
        }
    }
}
