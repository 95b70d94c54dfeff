/// The parts of one 360Giving grant Herald reads, as positions in the source bytes, before any
/// checking. The JSON reader and the flattened-CSV reader both fill it; ``GrantValidator`` turns it
/// into an award row or the reason it is quarantined, with one set of rules for both forms.
struct GrantFields {
    var id = RawValue.missing
    var title = RawValue.missing
    var description = RawValue.missing
    var currency = RawValue.missing
    var amountAwarded = RawValue.missing
    var awardDate = RawValue.missing
    var dateModified = RawValue.missing
    var dataSource = RawValue.missing
    var fromOpenCall = RawValue.missing
    var amountIsApproximate = RawValue.missing
    /// `recipientOrganization[0]` was an object.
    var hasRecipientOrganization = false
    var recipientOrgId = RawValue.missing
    var recipientOrgName = RawValue.missing
    /// `recipientIndividual` was an object.
    var hasRecipientIndividual = false
    var recipientIndId = RawValue.missing
    var recipientIndName = RawValue.missing
    /// `fundingOrganization[0]` was an object.
    var hasFunder = false
    var funderId = RawValue.missing
    var funderName = RawValue.missing
    var programmeCode = RawValue.missing
    var programmeTitle = RawValue.missing
    var plannedStart = RawValue.missing
    var plannedEnd = RawValue.missing
    var duration = RawValue.missing
    /// Whole values read by the slower general path when present (rare in published data).
    var classifications = RawValue.missing
    var suppliers = RawValue.missing
    var provenance = RawValue.missing

    /// The fields a flattened column can fill.
    enum Slot: Sendable {
        case id, title, description, currency, amountAwarded, awardDate, dateModified, dataSource, fromOpenCall
        case recipientOrgId, recipientOrgName, recipientIndId, recipientIndName, funderId, funderName
        case programmeCode, programmeTitle, plannedStart, plannedEnd, duration
    }

    mutating func set(_ slot: Slot, _ value: RawValue) {
        switch slot {
        case .id: id = value
        case .title: title = value
        case .description: description = value
        case .currency: currency = value
        case .amountAwarded: amountAwarded = value
        case .awardDate: awardDate = value
        case .dateModified: dateModified = value
        case .dataSource: dataSource = value
        case .fromOpenCall: fromOpenCall = value
        case .recipientOrgId: recipientOrgId = value
        case .recipientOrgName: recipientOrgName = value
        case .recipientIndId: recipientIndId = value
        case .recipientIndName: recipientIndName = value
        case .funderId: funderId = value
        case .funderName: funderName = value
        case .programmeCode: programmeCode = value
        case .programmeTitle: programmeTitle = value
        case .plannedStart: plannedStart = value
        case .plannedEnd: plannedEnd = value
        case .duration: duration = value
        }
    }
}

extension JSONCursor {
    /// Reads one grant object (the cursor is on its `{`), keeping the fields Herald uses and
    /// checking the syntax of the rest. A grant that is not an object is returned as nil.
    mutating func grant() throws(Failure) -> GrantFields? {
        skipWhitespace()
        guard byte == 0x7B else {
            try skipValue()
            return nil
        }
        var g = GrantFields()
        guard try openObject() else { return g }
        repeat {
            let k = try key()
            if k.escaped {
                // No 360Giving key needs an escape; an escaped key is kept out of every field.
                try skipValue()
                continue
            }
            let (s, e) = (k.start, k.end)
            switch e - s {
            case 2 where equals(s, e, "id"): g.id = try value()
            case 5 where equals(s, e, "title"): g.title = try value()
            case 8 where equals(s, e, "currency"): g.currency = try value()
            case 9 where equals(s, e, "awardDate"): g.awardDate = try value()
            case 10 where equals(s, e, "dataSource"): g.dataSource = try value()
            case 11 where equals(s, e, "description"): g.description = try value()
            case 12 where equals(s, e, "dateModified"): g.dateModified = try value()
            case 12 where equals(s, e, "fromOpenCall"): g.fromOpenCall = try value()
            case 12 where equals(s, e, "plannedDates"):
                try firstObject { (c: inout JSONCursor, key: (Int, Int)) throws(Failure) in
                    if c.equals(key.0, key.1, "startDate") { g.plannedStart = try c.value() }
                    else if c.equals(key.0, key.1, "endDate") { g.plannedEnd = try c.value() }
                    else if c.equals(key.0, key.1, "duration") { g.duration = try c.value() }
                    else { try c.skipValue() }
                }
            case 13 where equals(s, e, "amountAwarded"): g.amountAwarded = try value()
            case 14 where equals(s, e, "grantProgramme"):
                try firstObject { (c: inout JSONCursor, key: (Int, Int)) throws(Failure) in
                    if c.equals(key.0, key.1, "code") { g.programmeCode = try c.value() }
                    else if c.equals(key.0, key.1, "title") { g.programmeTitle = try c.value() }
                    else { try c.skipValue() }
                }
            case 9 where equals(s, e, "suppliers"): g.suppliers = try value()
            case 10 where equals(s, e, "provenance"): g.provenance = try value()
            case 15 where equals(s, e, "classifications"): g.classifications = try value()
            case 19 where equals(s, e, "amountIsApproximate"): g.amountIsApproximate = try value()
            case 19 where equals(s, e, "fundingOrganization"):
                g.hasFunder = try firstObject { (c: inout JSONCursor, key: (Int, Int)) throws(Failure) in
                    if c.equals(key.0, key.1, "id") { g.funderId = try c.value() }
                    else if c.equals(key.0, key.1, "name") { g.funderName = try c.value() }
                    else { try c.skipValue() }
                }
            case 19 where equals(s, e, "recipientIndividual"):
                skipWhitespace()
                if byte == 0x7B {
                    g.hasRecipientIndividual = true
                    try members { (c: inout JSONCursor, key: (Int, Int)) throws(Failure) in
                        if c.equals(key.0, key.1, "id") { g.recipientIndId = try c.value() }
                        else if c.equals(key.0, key.1, "name") { g.recipientIndName = try c.value() }
                        else { try c.skipValue() }
                    }
                } else {
                    try skipValue()
                }
            case 21 where equals(s, e, "recipientOrganization"):
                g.hasRecipientOrganization = try firstObject { (c: inout JSONCursor, key: (Int, Int)) throws(Failure) in
                    if c.equals(key.0, key.1, "id") { g.recipientOrgId = try c.value() }
                    else if c.equals(key.0, key.1, "name") { g.recipientOrgName = try c.value() }
                    else { try c.skipValue() }
                }
            default: try skipValue()
            }
        } while try next(close: 0x7D)
        leave()
        return g
    }

    /// For a value that should be a list of objects: calls `member` for each key of the first
    /// object and skips the rest. Returns whether there was a first object.
    @discardableResult
    private mutating func firstObject(_ member: (inout JSONCursor, (Int, Int)) throws(Failure) -> Void) throws(Failure) -> Bool {
        skipWhitespace()
        guard byte == 0x5B else {
            try skipValue()
            return false
        }
        guard try openArray() else { return false }
        skipWhitespace()
        var found = false
        if byte == 0x7B {
            found = true
            try members(member)
        } else {
            try skipValue()
        }
        while try next(close: 0x5D) { try skipValue() }
        leave()
        return found
    }

    /// Calls `member` for each key of the object at the cursor (escaped keys are skipped).
    private mutating func members(_ member: (inout JSONCursor, (Int, Int)) throws(Failure) -> Void) throws(Failure) {
        guard try openObject() else { return }
        repeat {
            let k = try key()
            if k.escaped { try skipValue() } else { try member(&self, (k.start, k.end)) }
        } while try next(close: 0x7D)
        leave()
    }
}
