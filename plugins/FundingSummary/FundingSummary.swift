import Foundation
import ReportKit

/// Sums up the awards of the last complete period: how many, how much per currency, the top
/// recipients, a breakdown by programme or sector, the SME share of suppliers where known, and the
/// change against the period before.
///
/// The period is the last *complete* one before the logical time in the job's zone: a run at 09:00
/// on 1 March with `period: month` reports February. An award dated only to a month or a year is
/// counted only in periods that contain that whole month or year. A period with no awards gives
/// ``ReportKit/Digest/empty``.
public struct FundingSummary: ReportPlugin {
    /// The job's `options:` for `funding-summary`.
    public struct Options: Decodable, Sendable, Hashable {
        /// What the breakdown section groups awards by.
        public enum Breakdown: String, Decodable, Sendable, Hashable {
            /// The award's grant programme (360Giving `Grant Programme:Title`).
            case programme
            /// The award's sector, else its recipient's first sector.
            case sector
        }

        /// The period to report: `week`, `month`, `quarter`, `year`, `all` or `last-N-days`. Default `month`.
        public var period: ReportPeriod
        /// How many recipients to list. Default 5; 0 leaves the list out.
        public var top: Int
        /// What the breakdown groups by. Default `programme`.
        public var breakdown: Breakdown
        /// Only awards in this ISO 4217 currency, e.g. `GBP`; nil (the default) for all.
        public var currency: String?
        /// Hashtags to add, without `#`. Default none.
        public var hashtags: [String]

        /// Creates options; the defaults are those of a job that sets none.
        public init(period: ReportPeriod = .month, top: Int = 5, breakdown: Breakdown = .programme,
                    currency: String? = nil, hashtags: [String] = []) {
            self.period = period
            self.top = top
            self.breakdown = breakdown
            self.currency = currency
            self.hashtags = hashtags
        }

        private enum CodingKeys: String, CodingKey { case period, top, breakdown, currency, hashtags }

        /// Decodes options, falling back to the defaults for missing keys.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let top = try c.decodeIfPresent(Int.self, forKey: .top) ?? 5
            guard top >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .top, in: c, debugDescription: "top must be 0 or more")
            }
            self.init(period: try c.decodeIfPresent(ReportPeriod.self, forKey: .period) ?? .month,
                      top: top,
                      breakdown: try c.decodeIfPresent(Breakdown.self, forKey: .breakdown) ?? .programme,
                      currency: try c.decodeIfPresent(String.self, forKey: .currency)?.uppercased(),
                      hashtags: try c.decodeIfPresent([String].self, forKey: .hashtags) ?? [])
        }
    }

    /// `funding-summary`.
    public static let name = "funding-summary"
    /// The plugin's version.
    public static let version = "1.0.0"
    /// One line for `herald plugins`.
    public static let summary = "Awards in the last complete period: totals, top recipients, breakdown, SME share, change."

    /// Creates the plugin.
    public init() {}

    /// Builds the summary of the last complete period before the logical time.
    public func report(_ context: ReportContext<Options>) throws -> Digest {
        let options = context.options
        let calendar = context.calendar
        let window = calendar.lastComplete(options.period, before: context.logicalTime)
        let before = calendar.previous(window)
        let kept = FundingFigures.awards(in: [window] + (before.map { [$0] } ?? []), options: options,
                                         snapshot: context.snapshot)
        let current = FundingFigures(window: window, awards: kept[0], snapshot: context.snapshot)
        guard current.count > 0 else { return .empty }
        let previous = before.map { FundingFigures(window: $0, awards: kept[1], snapshot: context.snapshot) }
        return FundingDigest(current: current, previous: previous, options: options).digest
    }
}
