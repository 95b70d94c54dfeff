import Foundation

/// The programme data a run works from: every record gathered from the configured sources,
/// in typed collections, with lookups by id.
///
/// A snapshot is a value: a plugin sees the data as it was when the run gathered it, however
/// long the plugin takes and whatever other runs do meanwhile.
public struct Snapshot: Sendable, Codable {
    /// Mutuals, parent bodies, funders and managing agents.
    public let organisations: [Organisation]
    /// Awards (360Giving grants).
    public let awards: [Award]
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
        self.organisations = organisations
        self.awards = awards
        self.suppliers = suppliers
        self.milestones = milestones
        self.statistics = statistics
        self.index = Index(organisations: organisations, awards: awards, suppliers: suppliers, milestones: milestones)
    }

    /// An empty snapshot.
    public static let empty = Snapshot()

    /// The organisation with this id, if any.
    public func organisation(id: String) -> Organisation? { index.organisations[id].map { organisations[$0] } }
    /// The award with this id, if any.
    public func award(id: String) -> Award? { index.awards[id].map { awards[$0] } }
    /// The supplier with this id, if any.
    public func supplier(id: String) -> Supplier? { index.suppliers[id].map { suppliers[$0] } }
    /// The milestone with this id, if any.
    public func milestone(id: String) -> Milestone? { index.milestones[id].map { milestones[$0] } }

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

    /// Positions by id, built once so that lookups cost a hash, not a scan.
    private struct Index: Sendable {
        let organisations: [String: Int]
        let awards: [String: Int]
        let suppliers: [String: Int]
        let milestones: [String: Int]

        init(organisations: [Organisation], awards: [Award], suppliers: [Supplier], milestones: [Milestone]) {
            func positions(_ ids: some Sequence<String>) -> [String: Int] {
                var map: [String: Int] = [:]
                for (i, id) in ids.enumerated() where map[id] == nil { map[id] = i }
                return map
            }
            self.organisations = positions(organisations.lazy.map(\.id))
            self.awards = positions(awards.lazy.map(\.id))
            self.suppliers = positions(suppliers.lazy.map(\.id))
            self.milestones = positions(milestones.lazy.map(\.id))
        }
    }
}
