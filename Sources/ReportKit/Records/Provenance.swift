import Foundation

/// Where a fact comes from: the published source that supports it.
///
/// Every record carries its provenance so that a digest can say what it was built from, and so
/// that operators can choose to publish only what is sourced.
public struct Provenance: Sendable, Hashable, Codable {
    /// How far a source can be trusted for publication.
    public enum Confidence: String, Sendable, Hashable, Codable, CaseIterable {
        /// Stated by a primary or official source.
        case sourced
        /// Reported in news coverage, not found independently.
        case news
        /// Inferred from other facts.
        case inferred
        /// Made up for an example; never publish as fact.
        case illustrative
    }

    /// The address of the source, when it has one.
    public var url: URL?
    /// Who published it, e.g. "GOV.UK" or "Public Finance".
    public var publisher: String?
    /// The source's title.
    public var title: String?
    /// When the source was published.
    public var published: LocalDate?
    /// The exact phrase that supports the value, if recorded.
    public var quote: String?
    /// How far the fact can be trusted; defaults to `sourced`.
    public var confidence: Confidence

    /// Creates a provenance entry.
    public init(url: URL? = nil, publisher: String? = nil, title: String? = nil, published: LocalDate? = nil,
                quote: String? = nil, confidence: Confidence = .sourced) {
        self.url = url
        self.publisher = publisher
        self.title = title
        self.published = published
        self.quote = quote
        self.confidence = confidence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(URL.self, forKey: .url)
        publisher = try c.decodeIfPresent(String.self, forKey: .publisher)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        published = try c.decodeIfPresent(LocalDate.self, forKey: .published)
        quote = try c.decodeIfPresent(String.self, forKey: .quote)
        confidence = try c.decodeIfPresent(Confidence.self, forKey: .confidence) ?? .sourced
    }

    /// A short label for citations: the publisher, else the title, else the host of the URL.
    public var label: String {
        publisher ?? title ?? url?.host ?? "source"
    }
}

/// Where a record was read from: the configured source and its location in that source.
public struct RecordOrigin: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The source's name in `etc/herald.yaml`.
    public var source: String
    /// The location inside it: `path:line` for CSV and YAML, `path#/grants/3` for JSON.
    public var location: String

    /// Creates an origin.
    public init(source: String, location: String) {
        self.source = source
        self.location = location
    }

    /// "source (location)".
    public var description: String { "\(source) (\(location))" }
}
