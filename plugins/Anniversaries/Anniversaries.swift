import Foundation
import ReportKit

/// Lists the anniversaries that fall in a run's window: organisations' spin-outs and programme
/// milestones, phrased as comms teams write them ("Mutuals Support Programme: 2 years on",
/// "Spiral Health CIC: 1 year since spinning out").
///
/// Rules (see the plugin's README for the full wording):
/// - The window is the period *containing* the logical time, in the job's zone: by default the
///   Monday–Sunday week, so a Monday 09:00 run covers that Monday to the following Sunday.
/// - Only day-precision dates produce anniversaries; a date known only to the month or year is skipped.
/// - A 29 February date has its anniversary on 28 February in common years.
/// - An organisation that has ceased by the window's last day is left out.
/// - No anniversary in the window gives ``ReportKit/Digest/empty``.
public struct Anniversaries: ReportPlugin {
    /// The job's `options:` for `anniversaries`.
    public struct Options: Decodable, Sendable, Hashable {
        /// The window to look in: the period containing the logical time. Default `week`.
        public var window: ReportPeriod
        /// Hashtags to add to the digest, without `#`. Default `["mutuals"]`.
        public var hashtags: [String]

        /// Creates options; the defaults are those of a job that sets none.
        public init(window: ReportPeriod = .week, hashtags: [String] = ["mutuals"]) {
            self.window = window
            self.hashtags = hashtags
        }

        private enum CodingKeys: String, CodingKey { case window, hashtags }

        /// Decodes options, falling back to the defaults for missing keys.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(window: try c.decodeIfPresent(ReportPeriod.self, forKey: .window) ?? .week,
                      hashtags: try c.decodeIfPresent([String].self, forKey: .hashtags) ?? ["mutuals"])
        }
    }

    /// `anniversaries`.
    public static let name = "anniversaries"
    /// The plugin's version.
    public static let version = "1.0.0"
    /// One line for `herald plugins`.
    public static let summary = "Spin-out and milestone anniversaries (N years on) in the week of the run."

    /// Creates the plugin.
    public init() {}

    /// Builds the digest of anniversaries in the window containing the logical time.
    public func report(_ context: ReportContext<Options>) throws -> Digest {
        let window = context.calendar.window(context.options.window, containing: context.logicalTime)
        let found = AnniversaryFinder(window: window).find(in: context.snapshot)
        guard !found.isEmpty else { return .empty }
        return AnniversaryDigest(window: window, anniversaries: found, hashtags: context.options.hashtags).digest
    }
}
