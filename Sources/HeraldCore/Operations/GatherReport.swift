import Foundation
import Gathering
import ReportKit

/// What `herald gather` prints: per source, the records accepted, award totals per currency, and
/// every quarantined record with where it is and why.
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
            out += source.quarantined > 0 ? ", \(source.quarantined) quarantined\n" : "\n"
        }
        let totals = Dictionary(grouping: result.snapshot.awards, by: \.amount.currency)
            .mapValues { $0.reduce(Decimal(0)) { $0 + $1.amount.amount } }
        if !totals.isEmpty {
            out += "award totals: " + totals.keys.sorted().map { currency in
                "\(result.snapshot.awards.filter { $0.amount.currency == currency }.count) awards, "
                    + Money(totals[currency]!, currency: currency).formatted(.exact)
            }.joined(separator: "; ") + "\n"
        }
        if !result.quarantine.isEmpty {
            out += "quarantined (\(result.quarantine.count)):\n"
            for entry in result.quarantine { out += "  \(entry)\n" }
        }
        return out
    }
}
