import Foundation

/// The programme data a run works from: every record gathered from the configured sources,
/// in typed collections, with lookups by id.
///
/// A snapshot is a value: a plugin sees the data as it was when the run gathered it, however
/// long the plugin takes and whatever other runs do meanwhile.
public struct Snapshot: Sendable, Codable {
    /// Mutuals, parent bodies, funders and managing agents.
    public let organisations: [Organisation]
    /// Awards (360Giving grants): a random-access collection, used like an array (``Awards``).
    public let awards: Awards
    /// Suppliers of the support the awards bought.
    public let suppliers: [Supplier]
    /// Dated events.
    public let milestones: [Milestone]
    /// Published figures.
    public let statistics: [Statistic]

    private let index: Index

    /// Creates a snapshot; when two records share an id, lookups return the first.
    public init(organisations: [Organisation] = [], awards: [Award] = [], suppliers: [Supplier] = [],
                milestones: [Milestone] = [], statistics: [Statistic] = []) {
        self.init(organisations: organisations, awards: Awards(awards), suppliers: suppliers, milestones: milestones,
                  statistics: statistics)
    }

    /// A snapshot whose awards are the rows of `awardStore`, read as plugins reach them (the plugin host).
    @_spi(AwardStore)
    public init(organisations: [Organisation] = [], awardStore: any AwardStore, suppliers: [Supplier] = [],
                milestones: [Milestone] = [], statistics: [Statistic] = []) {
        self.init(organisations: organisations, awards: Awards(store: awardStore), suppliers: suppliers,
                  milestones: milestones, statistics: statistics)
    }

    private init(organisations: [Organisation], awards: Awards, suppliers: [Supplier], milestones: [Milestone],
                 statistics: [Statistic]) {
        self.organisations = organisations
        self.awards = awards
        self.suppliers = suppliers
        self.milestones = milestones
        self.statistics = statistics
        self.index = Index()
    }

    /// An empty snapshot.
    public static let empty = Snapshot()

    /// The organisation with this id, if any.
    public func organisation(id: String) -> Organisation? { index.organisation(id, in: organisations).map { organisations[$0] } }
    /// The award with this id, if any.
    public func award(id: String) -> Award? { index.award(id, in: awards).map { awards[$0] } }
    /// The supplier with this id, if any.
    public func supplier(id: String) -> Supplier? { index.supplier(id, in: suppliers).map { suppliers[$0] } }
    /// The milestone with this id, if any.
    public func milestone(id: String) -> Milestone? { index.milestone(id, in: milestones).map { milestones[$0] } }

    /// The number of records of every kind.
    public var recordCount: Int {
        organisations.count + awards.count + suppliers.count + milestones.count + statistics.count
    }

    private enum CodingKeys: String, CodingKey {
        case organisations, awards, suppliers, milestones, statistics
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            organisations: try c.decodeIfPresent([Organisation].self, forKey: .organisations) ?? [],
            awards: try c.decodeIfPresent([Award].self, forKey: .awards) ?? [],
            suppliers: try c.decodeIfPresent([Supplier].self, forKey: .suppliers) ?? [],
            milestones: try c.decodeIfPresent([Milestone].self, forKey: .milestones) ?? [],
            statistics: try c.decodeIfPresent([Statistic].self, forKey: .statistics) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(organisations, forKey: .organisations)
        try c.encode(awards, forKey: .awards)
        try c.encode(suppliers, forKey: .suppliers)
        try c.encode(milestones, forKey: .milestones)
        try c.encode(statistics, forKey: .statistics)
    }
}
