import Foundation

/// Awards kept outside Swift values, one row each, whose fields are read on demand: the plugin host's
/// snapshot file. ``Snapshot/awards`` and ``Award`` read through it, so that a plugin that filters a
/// million awards by date costs a million date reads, not a million awards built up front.
///
/// Not for plugins: the SDK's users see only ``Award`` and ``Snapshot``. Herald's snapshot archive
/// conforms to it (`@_spi(AwardStore) import ReportKit`). Rows are `0..<awardCount`; each accessor
/// returns what the ``Award`` property of the same name would hold.
@_spi(AwardStore)
public protocol AwardStore: AnyObject, Sendable {
    /// The number of rows.
    var awardCount: Int { get }

    func id(_ row: Int) -> String
    func title(_ row: Int) -> String
    func description(_ row: Int) -> String
    func amount(_ row: Int) -> Money
    func amountIsApproximate(_ row: Int) -> Bool
    func awardDate(_ row: Int) -> LocalDate
    func recipientId(_ row: Int) -> String
    func recipientName(_ row: Int) -> String
    func funderId(_ row: Int) -> String?
    func funderName(_ row: Int) -> String?
    func supplierIds(_ row: Int) -> [String]
    func programme(_ row: Int) -> Award.Programme?
    func sector(_ row: Int) -> String?
    func supportTypes(_ row: Int) -> [String]
    func plannedStart(_ row: Int) -> LocalDate?
    func plannedEnd(_ row: Int) -> LocalDate?
    func durationMonths(_ row: Int) -> Int?
    func fromOpenCall(_ row: Int) -> Bool?
    func dateModified(_ row: Int) -> Date?
    func provenance(_ row: Int) -> [Provenance]
    func origin(_ row: Int) -> RecordOrigin?
}

extension AwardStore {
    /// Every field of row `row`.
    func values(_ row: Int) -> Award.Values {
        var v = Award.Values(id: id(row), title: title(row), description: description(row), amount: amount(row),
                             awardDate: awardDate(row), recipientId: recipientId(row), recipientName: recipientName(row))
        v.amountIsApproximate = amountIsApproximate(row)
        v.funderId = funderId(row)
        v.funderName = funderName(row)
        v.supplierIds = supplierIds(row)
        v.programme = programme(row)
        v.sector = sector(row)
        v.supportTypes = supportTypes(row)
        v.plannedStart = plannedStart(row)
        v.plannedEnd = plannedEnd(row)
        v.durationMonths = durationMonths(row)
        v.fromOpenCall = fromOpenCall(row)
        v.dateModified = dateModified(row)
        v.provenance = provenance(row)
        v.origin = origin(row)
        return v
    }
}
