import Foundation
import ReportKit

extension AwardTable {
    /// Appends `award` (from a records file or a test), interning its texts.
    public mutating func append(_ award: Award) {
        var row = AwardRow()
        row.id = strings.intern(award.id)
        row.title = strings.intern(award.title)
        row.description = strings.intern(award.description)
        row.currency = strings.intern(award.amount.currency)
        row.recipientId = strings.intern(award.recipientId)
        row.recipientName = strings.intern(award.recipientName)
        row.funderId = strings.intern(award.funderId)
        row.funderName = strings.intern(award.funderName)
        row.programmeCode = strings.intern(award.programme?.code)
        row.programmeTitle = strings.intern(award.programme?.title)
        row.sector = strings.intern(award.sector)
        row.supplierIds = internList(award.supplierIds.map { strings.intern($0) })
        row.supportTypes = internList(award.supportTypes.map { strings.intern($0) })
        row.provenance = internList(award.provenance.map { internProvenance(row: $0) })
        var flags: UInt32 = 0
        // Decimal's own fields are not public, so the exact text carries awards that did not come
        // through a parser that already holds the mantissa; they are few (records files, tests).
        row.amountText = strings.intern("\(award.amount.amount)")
        flags |= AwardRow.Flag.amountText
        if award.amountIsApproximate { flags |= AwardRow.Flag.approximate }
        if let open = award.fromOpenCall { flags |= AwardRow.Flag.openCallKnown | (open ? AwardRow.Flag.openCall : 0) }
        row.awardDate = AwardTable.pack(award.awardDate)
        row.plannedStart = AwardTable.pack(award.plannedStart)
        row.plannedEnd = AwardTable.pack(award.plannedEnd)
        if let months = award.durationMonths { flags |= AwardRow.Flag.duration; row.durationMonths = Int64(months) }
        if let modified = award.dateModified {
            flags |= AwardRow.Flag.dateModified
            row.dateModified = modified.timeIntervalSinceReferenceDate
        }
        if let origin = award.origin {
            flags |= AwardRow.Flag.origin
            row.originSource = strings.intern(origin.source)
            row.originLocation = strings.intern(origin.location)
        }
        row.flags = flags
        append(row)
    }

    /// The index of a provenance entry equal to `p`, adding it if new.
    public mutating func internProvenance(row p: Provenance) -> UInt32 {
        var entry = ProvenanceRow()
        entry.url = strings.intern(p.url?.absoluteString)
        entry.publisher = strings.intern(p.publisher)
        entry.title = strings.intern(p.title)
        entry.published = AwardTable.pack(p.published)
        entry.quote = strings.intern(p.quote)
        entry.confidence = UInt32(Provenance.Confidence.allCases.firstIndex(of: p.confidence) ?? 0)
        return internProvenance(entry)
    }

    static func pack(_ date: LocalDate?) -> UInt32 {
        guard let date else { return 0 }
        return AwardRow.packDate(year: date.year, month: date.month, day: date.day)
    }

    static func unpack(_ packed: UInt32) -> LocalDate? {
        guard packed != 0 else { return nil }
        let month = Int((packed >> 8) & 0xFF), day = Int(packed & 0xFF)
        return LocalDate(year: Int(packed >> 16), month: month == 0 ? nil : month, day: day == 0 ? nil : day)
    }

    /// The amount of row `i` as an exact decimal.
    public func amount(_ i: Int) -> Decimal {
        let base = i * AwardTable.rowWords
        let flags = words[base + AwardRow.flagsWord]
        if flags & AwardRow.Flag.amountText != 0 {
            return Decimal(string: strings.string(words[base + 22]), locale: Locale(identifier: "en_US_POSIX")) ?? 0
        }
        let mantissa = UInt64(words[base + 19]) << 32 | UInt64(words[base + 18])
        return Decimal(sign: flags & AwardRow.Flag.negative != 0 ? .minus : .plus,
                       exponent: Int(Int32(bitPattern: words[base + 20])), significand: Decimal(mantissa))
    }

    /// Every award, in row order, each read from the table's rows on access (``ArchiveAwards``).
    public func awards() -> [Award] {
        Array(SnapshotArchive(awards: self).snapshot().awards)
    }
}

extension AwardTable {
    /// Where row `i` was read from.
    public func origin(_ i: Int) -> RecordOrigin? {
        let base = i * AwardTable.rowWords
        let flags = words[base + AwardRow.flagsWord]
        guard flags & AwardRow.Flag.origin != 0 else { return nil }
        var location = strings.string(words[base + 15])
        if flags & AwardRow.Flag.originIndex != 0 { location += String(UInt64(words[base + 17]) << 32 | UInt64(words[base + 16])) }
        return RecordOrigin(source: strings.string(words[base + 14]), location: location)
    }

    /// String field `word` of row `i` (see ``AwardRow``), nil when absent.
    public func text(_ i: Int, _ word: Int) -> String? {
        let s = words[i * AwardTable.rowWords + word]
        return s == StringTable.none ? nil : strings.string(s)
    }

    /// Exact totals per currency code, with the number of awards: integer arithmetic on the rows'
    /// mantissas (a `Decimal` addition per award would cost more than reading the file).
    public func totalsByCurrency() -> [(currency: String, count: Int, total: Decimal)] {
        var sums: [UInt32: (count: Int, scale: Int32, sum: Int128, exact: Decimal?)] = [:]
        for i in 0..<count {
            let base = i * AwardTable.rowWords
            let currency = words[base + 3]
            var entry = sums[currency] ?? (0, 0, 0, nil)
            entry.count += 1
            let flags = words[base + AwardRow.flagsWord]
            let exponent = Int32(bitPattern: words[base + 20])
            let mantissa = UInt64(words[base + 19]) << 32 | UInt64(words[base + 18])
            // Fast path: amounts with at most 6 decimal places and below 10^18, summed as integers
            // of 10^-6; anything else falls back to Decimal for that currency.
            if entry.exact == nil, flags & AwardRow.Flag.amountText == 0, exponent >= -6, exponent <= 12 {
                var value = Int128(mantissa)
                for _ in 0..<(Int(exponent) + 6) { value *= 10 }
                if flags & AwardRow.Flag.negative != 0 { value = -value }
                let (sum, overflow) = entry.sum.addingReportingOverflow(value)
                if !overflow {
                    entry.sum = sum
                    sums[currency] = entry
                    continue
                }
            }
            if entry.exact == nil { entry.exact = AwardTable.decimal(entry.sum) }
            entry.exact! += amount(i)
            sums[currency] = entry
        }
        // One currency may have more than one string index (tables joined without merging their
        // strings, ``append(_:originOffset:)``): add up by the code itself.
        var byCode: [String: (count: Int, sum: Int128, exact: Decimal?)] = [:]
        for key in sums.keys.sorted() {
            let e = sums[key]!
            let code = strings.string(key)
            var m = byCode[code] ?? (0, 0, nil)
            m.count += e.count
            let (sum, overflow) = m.sum.addingReportingOverflow(e.sum)
            if m.exact == nil && e.exact == nil && !overflow {
                m.sum = sum
            } else {
                m.exact = (m.exact ?? AwardTable.decimal(m.sum)) + (e.exact ?? AwardTable.decimal(e.sum))
            }
            byCode[code] = m
        }
        return byCode.map { code, e in (code, e.count, e.exact ?? AwardTable.decimal(e.sum)) }.sorted { $0.currency < $1.currency }
    }

    /// An integer count of millionths as a Decimal.
    private static func decimal(_ micro: Int128) -> Decimal {
        Decimal(string: AwardTable.plain(micro), locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    private static func plain(_ micro: Int128) -> String {
        let negative = micro < 0
        let digits = String(negative ? -micro : micro)
        let padded = String(repeating: "0", count: max(0, 7 - digits.count)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -6)
        return (negative ? "-" : "") + padded[..<cut] + "." + padded[cut...]
    }
}
