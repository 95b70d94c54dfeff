import Foundation
import ReportKit

/// A record that was not accepted, with where it is and why.
///
/// Bad records never stop the good ones: each is set aside here, and the run decides whether what
/// was accepted is enough to report on.
public struct QuarantineEntry: Sendable, Hashable, CustomStringConvertible {
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
    /// The file it was read from.
    public var path: URL
    /// Records accepted, by kind.
    public var accepted: [RecordKind: Int]
    /// Records quarantined.
    public var quarantined: Int

    /// Records accepted, of every kind.
    public var acceptedTotal: Int { accepted.values.reduce(0, +) }
}

/// The outcome of gathering: the snapshot of accepted records, and what was set aside.
public struct GatherResult: Sendable {
    /// Every accepted record, from every source.
    public var snapshot: Snapshot
    /// One summary per source, in configuration order.
    public var sources: [SourceSummary]
    /// Every rejected record.
    public var quarantine: [QuarantineEntry]
}

/// A source that could not be read at all (missing file, not YAML/JSON/CSV).
public struct GatheringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source's name.
    public var source: String
    /// Where the problem is: the path, or `path:line:column` when the parser says.
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
