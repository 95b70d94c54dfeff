import Foundation
import ReportKit
import SnapshotArchive

/// A record that was not accepted, with where it is and why.
///
/// Bad records never stop the good ones: each is set aside here, and the run decides whether what
/// was accepted is enough to report on (``SourceDefinition/maxBadRows``).
public struct QuarantineEntry: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The source's name.
    public var source: String
    /// Where the record is: `path:line` (CSV, YAML) or `path#/grants/12` (JSON).
    public var location: String
    /// The field at fault, when one is (e.g. `amountAwarded`).
    public var field: String?
    /// Why it was rejected.
    public var reason: String

    /// Creates an entry.
    public init(source: String, location: String, field: String?, reason: String) {
        self.source = source
        self.location = location
        self.field = field
        self.reason = reason
    }

    /// "location: field: reason [source]".
    public var description: String {
        "\(location): \(field.map { "\($0): " } ?? "")\(reason) [\(source)]"
    }
}

/// What one source contributed.
public struct SourceSummary: Sendable, Hashable {
    /// The source's name.
    public var name: String
    /// The file it was read from (for a remote source, its cached body).
    public var path: URL
    /// Records accepted, by kind.
    public var accepted: [RecordKind: Int]
    /// Records quarantined.
    public var quarantined: Int
    /// Records read, good and bad: what a percentage limit is taken of.
    public var read: Int
    /// How the bytes were obtained.
    public var fetch: SourceFetch
    /// The source's `max_bad_rows`, if set.
    public var limit: BadRowLimit?

    /// Records accepted, of every kind.
    public var acceptedTotal: Int { accepted.values.reduce(0, +) }

    /// Whether the quarantined records exceed the source's limit.
    public var exceedsLimit: Bool { limit?.isExceeded(bad: quarantined, of: read) ?? false }
}

/// The outcome of gathering: the snapshot of accepted records, and what was set aside.
public struct GatherResult: Sendable {
    /// Every accepted record, from every source, in the form handed to plugins.
    public var archive: SnapshotArchive
    /// One summary per source, in configuration order.
    public var sources: [SourceSummary]
    /// Every rejected record.
    public var quarantine: [QuarantineEntry]

    /// Creates a result.
    public init(archive: SnapshotArchive, sources: [SourceSummary], quarantine: [QuarantineEntry]) {
        self.archive = archive
        self.sources = sources
        self.quarantine = quarantine
    }

    /// Every accepted record as ReportKit values (built on each call: keep it if you use it twice).
    public var snapshot: Snapshot { archive.snapshot() }

    /// Exact award totals per currency, with counts.
    public var awardTotals: [(currency: String, count: Int, total: Decimal)] { archive.awards.totalsByCurrency() }

    /// One error per source whose quarantine exceeds its `max_bad_rows`.
    public var limitBreaches: [GatheringError] {
        sources.filter(\.exceedsLimit).map { s in
            GatheringError(source: s.name, location: s.fetch.address,
                           message: "\(s.quarantined) of \(s.read) records quarantined, more than max_bad_rows \(s.limit!); "
                               + "not reporting on this data (run `herald gather --source \(s.name)` to see why)")
        }
    }

    /// Throws the first breach of a source's `max_bad_rows`, so that no digest is built on data
    /// that is too broken.
    public func requireWithinLimits() throws(GatheringError) {
        if let first = limitBreaches.first { throw first }
    }
}

/// A source that could not be read at all (missing file, not YAML/JSON/CSV, an HTTP error), or
/// whose quarantine exceeds its limit.
public struct GatheringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source's name.
    public var source: String
    /// Where the problem is: the path or URL, or `path:line:column` when the parser says.
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(source: String, location: String, message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    /// "location: error: message (source NAME)".
    public var description: String { "\(location): error: \(message) (source \(source))" }
}
