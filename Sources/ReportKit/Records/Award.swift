import Foundation

/// An award: one 360Giving grant, or (for the Mutuals Support Programme) one support package bought
/// from suppliers for a mutual.
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

    /// The award's id, e.g. `360G-msp-MSP-2013-010`. 360Giving: `Identifier`.
    public var id: String
    /// A short title, under 140 characters. 360Giving: `Title`.
    public var title: String
    /// What the award is for. 360Giving: `Description`.
    public var description: String
    /// The amount awarded. 360Giving: `Amount Awarded` and `Currency`.
    public var amount: Money
    /// Whether the amount was reported as approximate ("around £93,000").
    public var amountIsApproximate: Bool
    /// When it was awarded (or announced, when the day of award is unknown). 360Giving: `Award Date`.
    public var awardDate: LocalDate
    /// The recipient's organisation id. 360Giving: `Recipient Org:Identifier` (or `Recipient Ind:Identifier`).
    public var recipientId: String
    /// The recipient's name as the award names it. 360Giving: `Recipient Org:Name`.
    public var recipientName: String
    /// The funder's id, e.g. `GB-GOR-D2` for the Cabinet Office. 360Giving: `Funding Org:Identifier`.
    public var funderId: String?
    /// The funder's name. 360Giving: `Funding Org:Name`.
    public var funderName: String?
    /// Ids of the suppliers who delivered the support. OCDS: `awards[].suppliers[]`; 360Giving extension `Supplier:0:Identifier`.
    public var supplierIds: [String]
    /// The grant programme. 360Giving: `Grant Programme`.
    public var programme: Programme?
    /// Service area of the recipient, e.g. `youth`. 360Giving: `Classifications:Code`.
    public var sector: String?
    /// Kinds of support, e.g. `legal`, `business_planning`. 360Giving: `Classifications`.
    public var supportTypes: [String]
    /// Planned start. 360Giving: `Planned Dates:Start Date`.
    public var plannedStart: LocalDate?
    /// Planned end. 360Giving: `Planned Dates:End Date`.
    public var plannedEnd: LocalDate?
    /// Planned duration in months. 360Giving: `Planned Dates:Duration (months)`.
    public var durationMonths: Int?
    /// Whether it came from an open call. 360Giving: `From An Open Call?`.
    public var fromOpenCall: Bool?
    /// When the record last changed. 360Giving: `Last Modified`.
    public var dateModified: Date?
    /// The sources that support this record. 360Giving: `Data Source`.
    public var provenance: [Provenance]
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin?

    /// Creates an award.
    public init(id: String, title: String, description: String = "", amount: Money, amountIsApproximate: Bool = false,
                awardDate: LocalDate, recipientId: String, recipientName: String, funderId: String? = nil,
                funderName: String? = nil, supplierIds: [String] = [], programme: Programme? = nil,
                sector: String? = nil, supportTypes: [String] = [], plannedStart: LocalDate? = nil,
                plannedEnd: LocalDate? = nil, durationMonths: Int? = nil, fromOpenCall: Bool? = nil,
                dateModified: Date? = nil, provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.amount = amount
        self.amountIsApproximate = amountIsApproximate
        self.awardDate = awardDate
        self.recipientId = recipientId
        self.recipientName = recipientName
        self.funderId = funderId
        self.funderName = funderName
        self.supplierIds = supplierIds
        self.programme = programme
        self.sector = sector
        self.supportTypes = supportTypes
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.durationMonths = durationMonths
        self.fromOpenCall = fromOpenCall
        self.dateModified = dateModified
        self.provenance = provenance
        self.origin = origin
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            title: try c.decode(String.self, forKey: .title),
            description: try c.decodeIfPresent(String.self, forKey: .description) ?? "",
            amount: try c.decode(Money.self, forKey: .amount),
            amountIsApproximate: try c.decodeIfPresent(Bool.self, forKey: .amountIsApproximate) ?? false,
            awardDate: try c.decode(LocalDate.self, forKey: .awardDate),
            recipientId: try c.decode(String.self, forKey: .recipientId),
            recipientName: try c.decode(String.self, forKey: .recipientName),
            funderId: try c.decodeIfPresent(String.self, forKey: .funderId),
            funderName: try c.decodeIfPresent(String.self, forKey: .funderName),
            supplierIds: try c.decodeIfPresent([String].self, forKey: .supplierIds) ?? [],
            programme: try c.decodeIfPresent(Programme.self, forKey: .programme),
            sector: try c.decodeIfPresent(String.self, forKey: .sector),
            supportTypes: try c.decodeIfPresent([String].self, forKey: .supportTypes) ?? [],
            plannedStart: try c.decodeIfPresent(LocalDate.self, forKey: .plannedStart),
            plannedEnd: try c.decodeIfPresent(LocalDate.self, forKey: .plannedEnd),
            durationMonths: try c.decodeIfPresent(Int.self, forKey: .durationMonths),
            fromOpenCall: try c.decodeIfPresent(Bool.self, forKey: .fromOpenCall),
            dateModified: try c.decodeIfPresent(Date.self, forKey: .dateModified),
            provenance: try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? [],
            origin: try c.decodeIfPresent(RecordOrigin.self, forKey: .origin))
    }
}
