import Foundation
import ReportKit

/// 360Giving JSON packages (`{"grants": [...]}`): each grant becomes an ``ReportKit/Award``.
///
/// Required fields follow the standard (id, title, currency, amountAwarded, awardDate, a recipient
/// organisation or individual, a funding organisation); a grant missing one, or holding a value of the
/// wrong form (an amount written as a string such as "£1,000", a date such as "24/07/2014"), is
/// quarantined with its JSON path and the reason. Extension keys Herald reads: `amountIsApproximate`
/// (bool), `suppliers` ([{id, name}]) and `provenance` (a list of provenance entries).
enum ThreeSixtyGivingJSON {
    static func read(_ source: SourceDefinition, into batch: inout RecordBatch, quarantine: inout [QuarantineEntry]) throws {
        let data = try Gatherer.readFile(source)
        let path = source.path.path
        let top: JSONNode
        do {
            top = try JSONNode.parse(data)
        } catch {
            throw GatheringError(source: source.name, location: error.location(in: path), message: error.message)
        }
        guard let grants = top["grants"]?.array else {
            throw GatheringError(source: source.name, location: path,
                                 message: "not a 360Giving package: expected an object with a \"grants\" list")
        }
        for (i, element) in grants.enumerated() {
            let location = "\(path)#/grants/\(i)"
            do {
                guard let grant = element.object else { throw GrantProblem(field: nil, reason: "is not an object") }
                var award = try award(from: grant)
                award.origin = RecordOrigin(source: source.name, location: location)
                batch.awards.append(award)
            } catch let problem as GrantProblem {
                quarantine.append(QuarantineEntry(source: source.name, location: location, field: problem.field,
                                                  reason: problem.reason))
            }
        }
    }

    struct GrantProblem: Error {
        var field: String?
        var reason: String
    }

    static func award(from g: [String: JSONNode]) throws -> Award {
        let id = try requiredString(g, "id")
        let title = try requiredString(g, "title")
        let currency = try requiredString(g, "currency")
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw GrantProblem(field: "currency", reason: "'\(currency)' is not an ISO 4217 code")
        }
        let amount = try decimal(g["amountAwarded"], field: "amountAwarded")
        let awardDate = try date(g["awardDate"], field: "awardDate", dayOnly: true)
        let (recipientId, recipientName) = try recipient(g)
        guard let funder = g["fundingOrganization"]?.array?.first?.object else {
            throw GrantProblem(field: "fundingOrganization", reason: "is required but missing")
        }
        let funderId = try requiredString(funder, "id", prefix: "fundingOrganization[0].")
        let funderName = try requiredString(funder, "name", prefix: "fundingOrganization[0].")
        var programme: Award.Programme?
        if let p = g["grantProgramme"]?.array?.first, let t = p["title"]?.string {
            programme = Award.Programme(code: p["code"]?.string, title: t)
        }
        var sector: String?
        var supportTypes: [String] = []
        for c in g["classifications"]?.array ?? [] {
            guard let code = c["code"]?.string else { continue }
            switch c["vocabulary"]?.string {
            case "msp-sector": sector = sector ?? code
            case "msp-support": supportTypes.append(code)
            default: break
            }
        }
        let planned = g["plannedDates"]?.array?.first
        var provenance: [Provenance] = []
        if let extra = g["provenance"] {
            do {
                provenance = try JSONDecoder().decode(
                    [Provenance].self,
                    from: JSONSerialization.data(withJSONObject: extra.foundationValue, options: .fragmentsAllowed))
            } catch {
                throw GrantProblem(field: "provenance", reason: "is not a list of provenance entries")
            }
        }
        if provenance.isEmpty, let s = g["dataSource"]?.string, let url = URL(string: s) {
            provenance = [Provenance(url: url)]
        }
        let suppliers = (g["suppliers"]?.array ?? []).compactMap { $0["id"]?.string }
        var fromOpenCall: Bool?
        switch g["fromOpenCall"]?.string {
        case "Yes": fromOpenCall = true
        case "No": fromOpenCall = false
        default: break
        }
        var modified: Date?
        if let text = g["dateModified"]?.string {
            modified = ISO8601DateFormatter().date(from: text)
        }
        return Award(
            id: id, title: title, description: g["description"]?.string ?? "",
            amount: Money(amount, currency: currency), amountIsApproximate: g["amountIsApproximate"].map { if case .bool(true) = $0 { true } else { false } } ?? false,
            awardDate: awardDate, recipientId: recipientId, recipientName: recipientName, funderId: funderId,
            funderName: funderName, supplierIds: suppliers, programme: programme, sector: sector,
            supportTypes: supportTypes,
            plannedStart: try date(planned?["startDate"], field: "plannedDates[0].startDate", optional: true),
            plannedEnd: try date(planned?["endDate"], field: "plannedDates[0].endDate", optional: true),
            durationMonths: planned?["duration"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } },
            fromOpenCall: fromOpenCall,
            dateModified: modified, provenance: provenance)
    }

    private static func recipient(_ g: [String: JSONNode]) throws -> (String, String) {
        if let org = g["recipientOrganization"]?.array?.first?.object {
            return (try requiredString(org, "id", prefix: "recipientOrganization[0]."),
                    try requiredString(org, "name", prefix: "recipientOrganization[0]."))
        }
        if let person = g["recipientIndividual"]?.object {
            return (try requiredString(person, "id", prefix: "recipientIndividual."),
                    try requiredString(person, "name", prefix: "recipientIndividual."))
        }
        throw GrantProblem(field: "recipientOrganization", reason: "is required but missing (or recipientIndividual)")
    }

    private static func requiredString(_ object: [String: JSONNode], _ key: String, prefix: String = "") throws -> String {
        switch object[key] {
        case .string(let s)?:
            guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw GrantProblem(field: prefix + key, reason: "is required but empty")
            }
            return s
        case nil, .null?: throw GrantProblem(field: prefix + key, reason: "is required but missing")
        case let other?: throw GrantProblem(field: prefix + key, reason: "must be a string, got \(other.summary)")
        }
    }

    /// Amounts must be JSON numbers, as the standard says; a string is rejected, never guessed at.
    private static func decimal(_ value: JSONNode?, field: String) throws -> Decimal {
        switch value {
        case .number(let text)?:
            guard let n = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw GrantProblem(field: field, reason: "'\(text)' is not a number Herald can hold")
            }
            return n
        case nil, .null?: throw GrantProblem(field: field, reason: "is required but missing")
        case let other?:
            throw GrantProblem(field: field, reason: "must be a number without currency signs or commas, got \(other.summary)")
        }
    }

    private static func date(_ value: JSONNode?, field: String, dayOnly: Bool = false, optional: Bool = false) throws -> LocalDate? {
        switch value {
        case .string(let s)?:
            guard let d = LocalDate(parsing: s), !dayOnly || d.precision == .day else {
                throw GrantProblem(field: field, reason: "'\(s)' is not a date (YYYY-MM-DD or an RFC 3339 date-time)")
            }
            return d
        case nil, .null?:
            if optional { return nil }
            throw GrantProblem(field: field, reason: "is required but missing")
        case let other?:
            throw GrantProblem(field: field, reason: "must be a date string, got \(other.summary)")
        }
    }

    private static func date(_ value: JSONNode?, field: String, dayOnly: Bool) throws -> LocalDate {
        try date(value, field: field, dayOnly: dayOnly, optional: false)!
    }
}
