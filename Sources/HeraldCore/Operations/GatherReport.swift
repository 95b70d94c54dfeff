import Foundation
import Gathering
import ReportKit

/// What `herald gather` prints: per source, where it came from and how, the records accepted and
/// quarantined (and whether that breaks its `max_bad_rows`), award totals per currency, and every
/// quarantined record with where it is and why.
public struct GatherReport: Sendable {
    let result: GatherResult

    /// Creates a report of `result`.
    public init(_ result: GatherResult) { self.result = result }

    /// The report as text.
    public var text: String {
        var out = ""
        for source in result.sources {
            let kinds = source.accepted.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }
            out += "\(source.name): \(kinds.isEmpty ? "no records" : kinds.joined(separator: ", "))"
            out += source.quarantined > 0 ? ", \(source.quarantined) quarantined" : ""
            if let limit = source.limit { out += " (max_bad_rows \(limit)\(source.exceedsLimit ? ": EXCEEDED" : ""))" }
            out += "\n    from \(source.fetch.address), \(source.fetch.bytes) bytes, \(how(source.fetch))\n"
        }
        let totals = result.awardTotals
        if !totals.isEmpty {
            out += "award totals: " + totals.map { t in
                "\(t.count) award\(t.count == 1 ? "" : "s"), " + Money(t.total, currency: t.currency).formatted(.exact)
            }.joined(separator: "; ") + "\n"
        }
        if !result.quarantine.isEmpty {
            out += "quarantined (\(result.quarantine.count)):\n"
            for entry in result.quarantine { out += "  \(entry)\n" }
        }
        return out
    }

    private func how(_ fetch: SourceFetch) -> String {
        var parts: [String] = []
        switch fetch.status {
        case .file: parts.append("file")
        case .downloaded: parts.append("downloaded")
        case .notModified: parts.append("not modified (304), cached copy")
        }
        if fetch.parsedFromCache { parts.append("records from the parse cache") }
        if let etag = fetch.etag { parts.append("ETag \(etag)") }
        if let modified = fetch.lastModified { parts.append("Last-Modified \(modified)") }
        return parts.joined(separator: ", ")
    }
}
