import Foundation

/// An award: one 360Giving grant, or (for the Mutuals Support Programme) one support package bought
/// from suppliers for a mutual.
///
/// An award is a value with settable properties, like any record. An award of a snapshot read from a
/// snapshot file is a position in that file's rows: each property is read when asked for, so that a
/// plugin filtering a million awards by date builds dates, not a million awards' worth of strings.
/// Setting a property makes the award a copy of its own, as a value should.
public struct Award: Sendable, Hashable, Codable, Identifiable {
    /// A grant programme. 360Giving: `Grant Programme:Code` and `Grant Programme:Title`.
    public struct Programme: Sendable, Hashable, Codable {
        /// The programme's code, e.g. `MSP`.
        public var code: String?
        /// The programme's title, e.g. "Mutuals Support Programme".
        public var title: String

        /// Creates a programme.
        public init(code: String? = nil, title: String) {
            self.code = code
            self.title = title
        }
    }

    /// Either the award's own values, or a row of a snapshot file that is read on access.
    private var storage: Storage

    private enum Storage: Sendable {
        /// Values held in an immutable box: an award is a few words to copy, however many fields it has.
        case values(Box)
        /// Row `row` of a snapshot's awards.
        case stored(any AwardStore, Int)
    }

    /// Immutable, so shared freely between copies and threads; a change makes a new box.
    private final class Box: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }

    /// The award's id, e.g. `360G-msp-MSP-2013-010`. 360Giving: `Identifier`.
    public var id: String {
        get { field({ $0.values.id }, { $0.id($1) }) }
        set { update { $0.id = newValue } }
    }
    /// A short title, under 140 characters. 360Giving: `Title`.
    public var title: String {
        get { field({ $0.values.title }, { $0.title($1) }) }
        set { update { $0.title = newValue } }
    }
    /// What the award is for. 360Giving: `Description`.
    public var description: String {
        get { field({ $0.values.description }, { $0.description($1) }) }
        set { update { $0.description = newValue } }
    }
    /// The amount awarded. 360Giving: `Amount Awarded` and `Currency`.
    public var amount: Money {
        get { field({ $0.values.amount }, { $0.amount($1) }) }
        set { update { $0.amount = newValue } }
    }
    /// Whether the amount was reported as approximate ("around £93,000").
    public var amountIsApproximate: Bool {
        get { field({ $0.values.amountIsApproximate }, { $0.amountIsApproximate($1) }) }
        set { update { $0.amountIsApproximate = newValue } }
    }
    /// When it was awarded (or announced, when the day of award is unknown). 360Giving: `Award Date`.
    public var awardDate: LocalDate {
        get { field({ $0.values.awardDate }, { $0.awardDate($1) }) }
        set { update { $0.awardDate = newValue } }
    }
    /// The recipient's organisation id. 360Giving: `Recipient Org:Identifier` (or `Recipient Ind:Identifier`).
    public var recipientId: String {
        get { field({ $0.values.recipientId }, { $0.recipientId($1) }) }
        set { update { $0.recipientId = newValue } }
    }
    /// The recipient's name as the award names it. 360Giving: `Recipient Org:Name`.
    public var recipientName: String {
        get { field({ $0.values.recipientName }, { $0.recipientName($1) }) }
        set { update { $0.recipientName = newValue } }
    }
    /// The funder's id, e.g. `GB-GOR-D2` for the Cabinet Office. 360Giving: `Funding Org:Identifier`.
    public var funderId: String? {
        get { field({ $0.values.funderId }, { $0.funderId($1) }) }
        set { update { $0.funderId = newValue } }
    }
    /// The funder's name. 360Giving: `Funding Org:Name`.
    public var funderName: String? {
        get { field({ $0.values.funderName }, { $0.funderName($1) }) }
        set { update { $0.funderName = newValue } }
    }
    /// Ids of the suppliers who delivered the support. OCDS: `awards[].suppliers[]`; 360Giving extension `Supplier:0:Identifier`.
    public var supplierIds: [String] {
        get { field({ $0.values.supplierIds }, { $0.supplierIds($1) }) }
        set { update { $0.supplierIds = newValue } }
    }
    /// The grant programme. 360Giving: `Grant Programme`.
    public var programme: Programme? {
        get { field({ $0.values.programme }, { $0.programme($1) }) }
        set { update { $0.programme = newValue } }
    }
    /// Service area of the recipient, e.g. `youth`. 360Giving: `Classifications:Code`.
    public var sector: String? {
        get { field({ $0.values.sector }, { $0.sector($1) }) }
        set { update { $0.sector = newValue } }
    }
    /// Kinds of support, e.g. `legal`, `business_planning`. 360Giving: `Classifications`.
    public var supportTypes: [String] {
        get { field({ $0.values.supportTypes }, { $0.supportTypes($1) }) }
        set { update { $0.supportTypes = newValue } }
    }
    /// Planned start. 360Giving: `Planned Dates:Start Date`.
    public var plannedStart: LocalDate? {
        get { field({ $0.values.plannedStart }, { $0.plannedStart($1) }) }
        set { update { $0.plannedStart = newValue } }
    }
    /// Planned end. 360Giving: `Planned Dates:End Date`.
    public var plannedEnd: LocalDate? {
        get { field({ $0.values.plannedEnd }, { $0.plannedEnd($1) }) }
        set { update { $0.plannedEnd = newValue } }
    }
    /// Planned duration in months. 360Giving: `Planned Dates:Duration (months)`.
    public var durationMonths: Int? {
        get { field({ $0.values.durationMonths }, { $0.durationMonths($1) }) }
        set { update { $0.durationMonths = newValue } }
    }
    /// Whether it came from an open call. 360Giving: `From An Open Call?`.
    public var fromOpenCall: Bool? {
        get { field({ $0.values.fromOpenCall }, { $0.fromOpenCall($1) }) }
        set { update { $0.fromOpenCall = newValue } }
    }
    /// When the record last changed. 360Giving: `Last Modified`.
    public var dateModified: Date? {
        get { field({ $0.values.dateModified }, { $0.dateModified($1) }) }
        set { update { $0.dateModified = newValue } }
    }
    /// The sources that support this record. 360Giving: `Data Source`.
    public var provenance: [Provenance] {
        get { field({ $0.values.provenance }, { $0.provenance($1) }) }
        set { update { $0.provenance = newValue } }
    }
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin? {
        get { field({ $0.values.origin }, { $0.origin($1) }) }
        set { update { $0.origin = newValue } }
    }

    /// Creates an award.
    public init(id: String, title: String, description: String = "", amount: Money, amountIsApproximate: Bool = false,
                awardDate: LocalDate, recipientId: String, recipientName: String, funderId: String? = nil,
                funderName: String? = nil, supplierIds: [String] = [], programme: Programme? = nil,
                sector: String? = nil, supportTypes: [String] = [], plannedStart: LocalDate? = nil,
                plannedEnd: LocalDate? = nil, durationMonths: Int? = nil, fromOpenCall: Bool? = nil,
                dateModified: Date? = nil, provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        var values = Values(id: id, title: title, description: description, amount: amount, awardDate: awardDate,
                            recipientId: recipientId, recipientName: recipientName)
        values.amountIsApproximate = amountIsApproximate
        values.funderId = funderId
        values.funderName = funderName
        values.supplierIds = supplierIds
        values.programme = programme
        values.sector = sector
        values.supportTypes = supportTypes
        values.plannedStart = plannedStart
        values.plannedEnd = plannedEnd
        values.durationMonths = durationMonths
        values.fromOpenCall = fromOpenCall
        values.dateModified = dateModified
        values.provenance = provenance
        values.origin = origin
        storage = .values(Box(values))
    }

    /// The award at `row` of `store`, read on access.
    init(store: any AwardStore, row: Int) {
        storage = .stored(store, row)
    }

    private init(values: Values) {
        storage = .values(Box(values))
    }

    /// Every field, read out of the store if the award is stored.
    var values: Values {
        switch storage {
        case .values(let box): box.values
        case .stored(let store, let row): store.values(row)
        }
    }

    /// One field: from the values this award holds, or read in place from the snapshot row it stands for.
    @inline(__always)
    private func field<T>(_ held: (Box) -> T, _ stored: (any AwardStore, Int) -> T) -> T {
        switch storage {
        case .values(let box): held(box)
        case .stored(let store, let row): stored(store, row)
        }
    }

    private mutating func update(_ change: (inout Values) -> Void) {
        var copy = values
        change(&copy)
        storage = .values(Box(copy))
    }

    public init(from decoder: any Decoder) throws {
        self.init(values: try Values(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    public static func == (a: Award, b: Award) -> Bool {
        if case .stored(let s, let i) = a.storage, case .stored(let t, let j) = b.storage, s === t, i == j { return true }
        return a.values == b.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values)
    }
}
