import Foundation
import ReportKit
import SnapshotArchive

/// Why one grant was set aside: the field and the reason, as a quarantine entry shows them.
struct GrantProblem: Error {
    var field: String?
    var reason: String
}

/// Turns ``GrantFields`` into award rows by the 360Giving rules, interning texts into one
/// ``AwardTable``. One validator per thread; it owns a scratch buffer for unescaping.
///
/// Rules (the same for the JSON and the flattened CSV form):
/// - id, title, currency, amountAwarded, awardDate, a recipient organisation (or individual) id and
///   name, and a funding organisation id and name are required; blank text counts as missing;
/// - currency is three capital letters (ISO 4217);
/// - amountAwarded is a plain number: a JSON number, or in CSV text of the form `-?digits(.digits)?`.
///   Currency signs, thousands separators, spaces and suffixes ("£1,000", "1.5m") are rejected with
///   the value in the reason, never guessed at; the value is kept exactly (a decimal, not a double);
/// - awardDate is `YYYY-MM-DD` or a date-time whose time is ignored; planned dates may also be
///   `YYYY` or `YYYY-MM`; dateModified is a full RFC 3339 date-time; `24/07/2014` is rejected;
/// - fromOpenCall is `Yes` or `No`; a planned duration is a whole number of months.
struct GrantValidator {
    let bytes: UnsafeRawBufferPointer
    /// CSV: every value is text, so amounts and durations are read from text.
    let textual: Bool
    var table: AwardTable
    private var scratch: [UInt8] = []
    private let held = HeldBytes()
    var urlCheck: [UInt32: Bool] = [:]
    /// Where ``warmLookups(_:)`` keeps what its loads returned, so that they are not optimised away.
    private(set) var warmed: UInt64 = 0
    let sourceName: UInt32
    let locationPrefix: UInt32

    /// `expected` sizes the table for this reader's grants; `rowCapacity`, when larger, reserves room
    /// for the rows of the whole file, so that the first of two readers' tables takes the second's
    /// rows without being copied to a larger array (only the pages used are ever touched).
    init(bytes: UnsafeRawBufferPointer, textual: Bool, source: String, locationPrefix: String, expected: Int = 0,
         rowCapacity: Int = 0) {
        self.bytes = bytes
        self.textual = textual
        var table = expected > 10_000 ? AwardTable(expected: expected) : AwardTable()
        if rowCapacity > expected && rowCapacity > 10_000 { table.reserveRows(rowCapacity) }
        sourceName = table.strings.intern(source)
        self.locationPrefix = table.strings.intern(locationPrefix)
        self.table = table
    }

    /// Checks `g`; on success appends its row with origin `locationPrefix + number`.
    mutating func accept(_ g: GrantFields, number: UInt64) throws(GrantProblem) {
        warmLookups(g)
        var row = AwardRow()
        var flags = AwardRow.Flag.origin | AwardRow.Flag.originIndex
        row.originSource = sourceName
        row.originLocation = locationPrefix
        row.originIndex = number
        row.id = try required(g.id, "id")
        row.title = try required(g.title, "title")
        let currency = try requiredBytes(g.currency, "currency")
        guard currency.count == 3, currency.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw GrantProblem(field: "currency", reason: "'\(String(decoding: currency, as: UTF8.self))' is not an ISO 4217 code")
        }
        row.currency = table.strings.intern(currency)
        try amount(g.amountAwarded, into: &row, flags: &flags)
        row.awardDate = try date(g.awardDate, "awardDate", dayOnly: true) ?? 0
        if g.hasRecipientOrganization {
            row.recipientId = try required(g.recipientOrgId, "recipientOrganization[0].id")
            row.recipientName = try required(g.recipientOrgName, "recipientOrganization[0].name")
        } else if g.hasRecipientIndividual {
            row.recipientId = try required(g.recipientIndId, "recipientIndividual.id")
            row.recipientName = try required(g.recipientIndName, "recipientIndividual.name")
        } else {
            throw GrantProblem(field: "recipientOrganization", reason: "is required but missing (or recipientIndividual)")
        }
        guard g.hasFunder else { throw GrantProblem(field: "fundingOrganization", reason: "is required but missing") }
        row.funderId = try required(g.funderId, "fundingOrganization[0].id")
        row.funderName = try required(g.funderName, "fundingOrganization[0].name")
        row.description = try optional(g.description, "description") ?? table.strings.intern("")
        if let title = try optional(g.programmeTitle, "grantProgramme[0].title") {
            row.programmeTitle = title
            row.programmeCode = try optional(g.programmeCode, "grantProgramme[0].code") ?? StringTable.none
        }
        row.plannedStart = try date(g.plannedStart, "plannedDates[0].startDate", dayOnly: false) ?? 0
        row.plannedEnd = try date(g.plannedEnd, "plannedDates[0].endDate", dayOnly: false) ?? 0
        if let months = try duration(g.duration) {
            flags |= AwardRow.Flag.duration
            row.durationMonths = months
        }
        if let modified = try dateTime(g.dateModified, "dateModified") {
            flags |= AwardRow.Flag.dateModified
            row.dateModified = modified
        }
        switch try optionalBytes(g.fromOpenCall, "fromOpenCall").map({ String(decoding: $0, as: UTF8.self) }) {
        case nil: break
        case "Yes": flags |= AwardRow.Flag.openCallKnown | AwardRow.Flag.openCall
        case "No": flags |= AwardRow.Flag.openCallKnown
        case let other?: throw GrantProblem(field: "fromOpenCall", reason: "'\(other)' is not Yes or No")
        }
        if case .bool(true) = g.amountIsApproximate { flags |= AwardRow.Flag.approximate }
        try extensions(g, into: &row)
        row.flags |= flags
        table.append(row)
    }

    /// Starts the string table's loads for the fields that are nearly always new or rarely repeated
    /// (id, title, recipient id and name) before the checks below intern them one by one
    /// (``StringTable/warm(_:_:_:_:)``).
    private mutating func warmLookups(_ g: GrantFields) {
        func raw(_ value: RawValue) -> UnsafeRawBufferPointer {
            guard case .string(let start, let end, false) = value else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        }
        let organisation = g.hasRecipientOrganization
        warmed ^= table.strings.warm(raw(g.id), raw(g.title), raw(organisation ? g.recipientOrgId : g.recipientIndId),
                                     raw(organisation ? g.recipientOrgName : g.recipientIndName))
    }

    // MARK: - Values

    /// The text of a string value, unescaped; nil for missing or null; a problem for other types.
    mutating func optionalBytes(_ value: RawValue, _ field: String) throws(GrantProblem) -> UnsafeRawBufferPointer? {
        switch value {
        case .missing, .null: return nil
        case .string(let start, let end, let escaped):
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            guard escaped else { return raw.isEmpty && textual ? nil : raw }
            scratch.removeAll(keepingCapacity: true)
            if textual { CSVUnescape.doubledQuotes(raw, into: &scratch) } else { JSONUnescape.unescape(raw, into: &scratch) }
            return held.hold(scratch)  // valid until the next unescape: every caller uses it at once
        default:
            throw GrantProblem(field: field, reason: "must be a string, got \(summary(value))")
        }
    }

    private mutating func requiredBytes(_ value: RawValue, _ field: String) throws(GrantProblem) -> UnsafeRawBufferPointer {
        guard let text = try optionalBytes(value, field) else {
            throw GrantProblem(field: field, reason: "is required but missing")
        }
        guard !ByteText.isBlank(text) else { throw GrantProblem(field: field, reason: "is required but empty") }
        return text
    }

    private mutating func required(_ value: RawValue, _ field: String) throws(GrantProblem) -> UInt32 {
        table.strings.intern(try requiredBytes(value, field))
    }

    private mutating func optional(_ value: RawValue, _ field: String) throws(GrantProblem) -> UInt32? {
        guard let text = try optionalBytes(value, field) else { return nil }
        return table.strings.intern(text)
    }

    private mutating func amount(_ value: RawValue, into row: inout AwardRow, flags: inout UInt32) throws(GrantProblem) {
        let field = "amountAwarded"
        let text: UnsafeRawBufferPointer
        switch value {
        case .missing, .null: throw GrantProblem(field: field, reason: "is required but missing")
        case .number(let start, let end): text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        case .string where textual:
            guard let t = try optionalBytes(value, field) else { throw GrantProblem(field: field, reason: "is required but missing") }
            text = t
        default:
            throw GrantProblem(field: field, reason: "must be a number without currency signs or commas, got \(summary(value))")
        }
        if let parts = ByteText.decimal(text, allowExponent: !textual) {
            row.mantissa = parts.mantissa
            row.exponent = parts.exponent
            if parts.negative { flags |= AwardRow.Flag.negative }
            return
        }
        let written = String(decoding: text, as: UTF8.self)
        // A plain number too long for 64 bits is still exact as a Decimal: keep its text.
        if ByteText.isPlainNumber(text, allowExponent: !textual),
            Decimal(string: written, locale: Locale(identifier: "en_US_POSIX")) != nil {
            row.amountText = table.strings.intern(written)
            flags |= AwardRow.Flag.amountText
            return
        }
        throw GrantProblem(field: field, reason: "'\(written)' is not a plain number (360Giving amounts have no currency "
            + "signs, thousands separators, spaces or suffixes such as 'm' or 'k')")
    }

    private mutating func date(_ value: RawValue, _ field: String, dayOnly: Bool) throws(GrantProblem) -> UInt32? {
        if case .missing = value { if dayOnly { throw GrantProblem(field: field, reason: "is required but missing") } else { return nil } }
        if case .null = value { if dayOnly { throw GrantProblem(field: field, reason: "is required but missing") } else { return nil } }
        guard case .string = value else { throw GrantProblem(field: field, reason: "must be a date string, got \(summary(value))") }
        guard let text = try optionalBytes(value, field) else {
            if dayOnly { throw GrantProblem(field: field, reason: "is required but missing") }
            return nil
        }
        guard let date = ByteText.localDate(text), !dayOnly || date.precision == 2 else {
            let shown = String(decoding: text, as: UTF8.self)
            throw GrantProblem(field: field, reason: dayOnly
                ? "'\(shown)' is not a date (YYYY-MM-DD or an RFC 3339 date-time)"
                : "'\(shown)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        return date.packed
    }

    private mutating func dateTime(_ value: RawValue, _ field: String) throws(GrantProblem) -> Double? {
        guard let text = try optionalBytes(value, field) else { return nil }
        guard let seconds = ByteText.dateTime(text) else {
            throw GrantProblem(field: field, reason: "'\(String(decoding: text, as: UTF8.self))' is not an RFC 3339 date-time "
                + "(e.g. 2013-02-15T09:30:00Z)")
        }
        return seconds
    }

    private mutating func duration(_ value: RawValue) throws(GrantProblem) -> Int64? {
        let field = "plannedDates[0].duration"
        let text: UnsafeRawBufferPointer
        switch value {
        case .missing, .null: return nil
        case .number(let start, let end): text = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        case .string where textual:
            guard let t = try optionalBytes(value, field) else { return nil }
            text = t
        default: throw GrantProblem(field: field, reason: "must be a number of months, got \(summary(value))")
        }
        guard let parts = ByteText.decimal(text, allowExponent: false), parts.exponent >= 0, parts.exponent < 10,
            parts.mantissa < 1_000_000
        else {
            throw GrantProblem(field: field, reason: "'\(String(decoding: text, as: UTF8.self))' is not a whole number of months")
        }
        var months = Int64(parts.mantissa)
        for _ in 0..<parts.exponent { months *= 10 }
        return parts.negative ? -months : months
    }

    /// "null", "'true'", "'12'", "the string '…'", "a list", "an object": how a quarantine reason
    /// names a value of the wrong type.
    func summary(_ value: RawValue) -> String {
        switch value {
        case .missing, .null: return "null"
        case .bool(let b): return "'\(b)'"
        case .number(let s, let e): return "'\(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self))'"
        case .string(let s, let e, _):
            return "the string '\(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self).prefix(40))'"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
