import Foundation
import ReportKit
import SnapshotArchive

/// 360Giving's flattened form as CSV (what the standard's spreadsheet template, flatten-tool and
/// GrantNav exports give): one grant per row, columns titled `Identifier`, `Amount Awarded`,
/// `Recipient Org:Identifier`, …, matched case-insensitively; other columns are ignored.
///
/// Rows are checked by the same ``GrantValidator`` rules as JSON grants; amounts and durations are
/// text here, so an amount must be a plain number (`152505`, `1000.10`) and "£1,000" is rejected. A
/// bad row is quarantined as `path:line` with the column title and the reason.
enum ThreeSixtyGivingCSV {
    /// Column titles (lower-cased) → the grant field they fill.
    static let titles: [String: GrantFields.Slot] = [
        "identifier": .id, "title": .title, "description": .description, "currency": .currency,
        "amount awarded": .amountAwarded, "award date": .awardDate, "last modified": .dateModified,
        "data source": .dataSource, "from an open call?": .fromOpenCall,
        "recipient org:identifier": .recipientOrgId, "recipient org:name": .recipientOrgName,
        "recipient ind:identifier": .recipientIndId, "recipient ind:name": .recipientIndName,
        "funding org:identifier": .funderId, "funding org:name": .funderName,
        "grant programme:code": .programmeCode, "grant programme:title": .programmeTitle,
        "planned dates:start date": .plannedStart, "planned dates:end date": .plannedEnd,
        "planned dates:duration (months)": .duration,
    ]

    /// JSON field names in quarantine entries → the column titles a CSV reader knows.
    static let fieldTitles: [String: String] = [
        "id": "Identifier", "title": "Title", "description": "Description", "currency": "Currency",
        "amountAwarded": "Amount Awarded", "awardDate": "Award Date", "dateModified": "Last Modified",
        "dataSource": "Data Source", "fromOpenCall": "From An Open Call?",
        "recipientOrganization": "Recipient Org:Identifier", "recipientOrganization[0].id": "Recipient Org:Identifier",
        "recipientOrganization[0].name": "Recipient Org:Name", "recipientIndividual.id": "Recipient Ind:Identifier",
        "recipientIndividual.name": "Recipient Ind:Name", "fundingOrganization": "Funding Org:Identifier",
        "fundingOrganization[0].id": "Funding Org:Identifier", "fundingOrganization[0].name": "Funding Org:Name",
        "grantProgramme[0].code": "Grant Programme:Code", "grantProgramme[0].title": "Grant Programme:Title",
        "plannedDates[0].startDate": "Planned Dates:Start Date", "plannedDates[0].endDate": "Planned Dates:End Date",
        "plannedDates[0].duration": "Planned Dates:Duration (months)",
    ]

    static func read(_ raw: UnsafeRawBufferPointer, layout: CSVLayout, source: String, path: String) throws -> ParsedAwards {
        let text = try CSVText(raw, encoding: layout.encoding, source: source, path: path)
        return try text.withBytes { bytes throws in try read(utf8: bytes, lineOffset: 0, layout: layout, source: source, path: path) }
    }

    private static func read(utf8 bytes: UnsafeRawBufferPointer, lineOffset: Int, layout: CSVLayout, source: String,
                             path: String) throws -> ParsedAwards {
        guard let delimiter = layout.delimiter.asciiValue else {
            throw GatheringError(source: source, location: path, message: "the delimiter must be an ASCII character")
        }
        var scanner = CSVScanner(bytes, delimiter: delimiter)
        var header: [CSVScanner.Field] = []
        do {
            while scanner.line <= layout.headerRow {
                guard let row = try scanner.row() else {
                    throw GatheringError(source: source, location: path, message: "no header row (expected on line \(layout.headerRow))")
                }
                header = row
            }
        } catch let f as CSVScanner.Failure {
            throw GatheringError(source: source, location: "\(path):\(f.line)", message: f.message)
        }
        let mapped = Dictionary(layout.columns.map { ($0.key.lowercased(), $0.value.lowercased()) }, uniquingKeysWith: { a, _ in a })
        let slots: [GrantFields.Slot?] = header.map { field in
            let title = scanner.text(field).trimmingCharacters(in: .whitespaces).lowercased()
            return titles[mapped[title] ?? title]
        }
        // A header with no 360Giving title at all is the wrong file, not a file of bad rows.
        guard slots.contains(where: { $0 != nil }) else {
            throw GatheringError(source: source, location: "\(path):\(layout.headerRow)",
                                 message: "no 360Giving column titles (Identifier, Amount Awarded, …) in the header: "
                                     + "is this 360Giving's flattened form? (map other titles with columns:)")
        }
        let start = scanner.index
        let firstLine = scanner.line
        let width = header.count
        let shared = SharedBytes(buffer: bytes)
        let prefix = "\(path):"
        let split = bytes.count - start >= SplitReader.minimumSplitBytes ? guessRowStart(bytes, from: start + (bytes.count - start) / 2) : nil
        var (first, second) = SplitReader.run(
            split: split,
            first: { stopAt in
                readRows(shared.buffer, from: start, line: firstLine, stopAt: stopAt, slots: slots, width: width,
                         delimiter: delimiter, source: source, prefix: prefix)
            },
            second: { at in
                readRows(shared.buffer, from: at, line: 1, stopAt: nil, slots: slots, width: width,
                         delimiter: delimiter, source: source, prefix: prefix)
            })
        if let f = first.failure ?? second?.failure {
            let line = (f as? CSVScanner.Failure)?.line ?? 0
            throw GatheringError(source: source, location: "\(path):\(line)", message: (f as? CSVScanner.Failure)?.message ?? "\(f)")
        }
        // Moved out of the first part (not copied), so that appending the second part's rows grows it in place.
        var table = AwardTable()
        swap(&table, &first.output.validator.table)
        var rejected = first.output.rejected
        if let second {
            // The second reader numbered lines from 1 at the split; the first knows which line that is.
            let offset = first.output.stopLine - 1
            table.append(second.output.validator.table, originOffset: UInt64(offset))
            rejected += second.output.rejected.map { ($0.line + offset, $0.problem) }
        }
        return ParsedAwards(
            table: table, records: first.records + (second?.records ?? 0),
            quarantine: rejected.map { r in
                QuarantineEntry(source: source, location: "\(prefix)\(r.line)",
                                field: r.problem.field.map { fieldTitles[$0] ?? $0 }, reason: r.problem.reason)
            })
    }

    private static func readRows(_ bytes: UnsafeRawBufferPointer, from start: Int, line: Int, stopAt: Int?,
                                 slots: [GrantFields.Slot?], width: Int, delimiter: UInt8,
                                 source: String, prefix: String) -> SplitReader.Part<RowsOutput> {
        var output = RowsOutput(validator: GrantValidator(bytes: bytes, textual: true, source: source, locationPrefix: prefix,
                                                          expected: ((stopAt ?? bytes.count) - start) / 300,
                                                          rowCapacity: stopAt == nil ? 0 : (bytes.count - start) / 300))
        var records = 0
        var scanner = CSVScanner(bytes, delimiter: delimiter)
        scanner.index = start
        scanner.line = line
        var reached = false
        do {
            while true {
                if let stopAt, scanner.index >= stopAt {
                    reached = scanner.index == stopAt
                    output.stopLine = scanner.line
                    break
                }
                let rowLine = scanner.line
                guard let fields = try scanner.row() else { break }
                if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { continue }  // blank line
                records += 1
                guard fields.count == width else {
                    output.rejected.append((rowLine, GrantProblem(field: nil, reason: "has \(fields.count) fields but the header has \(width)")))
                    continue
                }
                var g = GrantFields()
                for (slot, field) in zip(slots, fields) where field.end > field.start {
                    guard let slot else { continue }
                    g.set(slot, .string(start: field.start, end: field.end, escaped: field.quoted))
                }
                g.hasRecipientOrganization = !isMissing(g.recipientOrgId) || !isMissing(g.recipientOrgName)
                g.hasRecipientIndividual = !isMissing(g.recipientIndId) || !isMissing(g.recipientIndName)
                g.hasFunder = !isMissing(g.funderId) || !isMissing(g.funderName)
                do {
                    try output.validator.accept(g, number: UInt64(rowLine))
                } catch {
                    output.rejected.append((rowLine, error))
                }
            }
        } catch {
            var part = SplitReader.Part(output: output, records: records)
            part.failure = error
            return part
        }
        var part = SplitReader.Part(output: output, records: records)
        part.reachedSplit = reached
        return part
    }

    struct RowsOutput {
        var validator: GrantValidator
        var rejected: [(line: Int, problem: GrantProblem)] = []
        var stopLine = 0
    }

    private static func isMissing(_ v: RawValue) -> Bool {
        if case .missing = v { return true }
        return false
    }

    /// The start of the line after `from`: right unless a quoted field spans that line break, which
    /// the first reader then detects (it never stops exactly there).
    static func guessRowStart(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i < bytes.count {
            if bytes[i] == 0x0A { return i + 1 < bytes.count ? i + 1 : nil }
            i += 1
        }
        return nil
    }
}
