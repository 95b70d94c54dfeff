import Foundation

/// A published figure about the programme at a date, e.g. "67 mutuals supported" in March 2014.
public struct Statistic: Sendable, Hashable, Codable {
    /// How exact the published figure is.
    public enum Qualifier: String, Sendable, Hashable, Codable, CaseIterable {
        /// An exact count or amount.
        case exact
        /// An approximation ("around", "nearly", "over").
        case approx
        /// A lower bound ("at least").
        case minimum
    }

    /// The date the figure describes.
    public var asOf: LocalDate
    /// What is measured, e.g. `mutuals_supported`, `awards_count`, `awards_value_gbp`.
    public var metric: String
    /// A breakdown, e.g. `sector=youth`, when the figure is one part of a whole.
    public var dimension: String?
    /// The value.
    public var value: Decimal
    /// How exact it is.
    public var qualifier: Qualifier
    /// The sources that support it.
    public var provenance: [Provenance]
    /// Where Herald read it from; set by gathering.
    public var origin: RecordOrigin?

    /// Creates a statistic.
    public init(asOf: LocalDate, metric: String, dimension: String? = nil, value: Decimal, qualifier: Qualifier = .exact,
                provenance: [Provenance] = [], origin: RecordOrigin? = nil) {
        self.asOf = asOf
        self.metric = metric
        self.dimension = dimension
        self.value = value
        self.qualifier = qualifier
        self.provenance = provenance
        self.origin = origin
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            asOf: try c.decode(LocalDate.self, forKey: .asOf),
            metric: try c.decode(String.self, forKey: .metric),
            dimension: try c.decodeIfPresent(String.self, forKey: .dimension),
            value: try c.decodePlainDecimal(forKey: .value),
            qualifier: try c.decodeIfPresent(Qualifier.self, forKey: .qualifier) ?? .exact,
            provenance: try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? [],
            origin: try c.decodeIfPresent(RecordOrigin.self, forKey: .origin))
    }
}
