import Foundation
import ReportKit

/// Reads configured sources into one snapshot.
public enum Gatherer {
    /// Reads every source in order; a source that cannot be read at all throws, a bad record in an
    /// otherwise readable source is quarantined and the rest are kept.
    public static func gather(_ sources: [SourceDefinition]) throws -> GatherResult {
        var batch = RecordBatch()
        var summaries: [SourceSummary] = []
        var quarantine: [QuarantineEntry] = []
        for source in sources {
            var part = RecordBatch()
            var rejected: [QuarantineEntry] = []
            switch source.format {
            case .records: try RecordsFile.read(source, into: &part, quarantine: &rejected)
            case .threeSixtyGiving: try ThreeSixtyGivingJSON.read(source, into: &part, quarantine: &rejected)
            case .csv(let layout): try CSVRecords.read(source, layout: layout, into: &part, quarantine: &rejected)
            }
            summaries.append(SourceSummary(name: source.name, path: source.path, accepted: part.counts,
                                           quarantined: rejected.count))
            batch.append(part)
            quarantine += rejected
        }
        quarantine += batch.removeDuplicateIds()
        return GatherResult(snapshot: batch.snapshot, sources: summaries, quarantine: quarantine)
    }

    static func readFile(_ source: SourceDefinition) throws -> Data {
        do {
            return try Data(contentsOf: source.path)
        } catch {
            let reason = FileManager.default.fileExists(atPath: source.path.path) ? "cannot be read" : "does not exist"
            throw GatheringError(source: source.name, location: source.path.path, message: "the file \(reason)")
        }
    }
}

/// Records accumulated from one or more sources.
struct RecordBatch {
    var organisations: [Organisation] = []
    var awards: [Award] = []
    var suppliers: [Supplier] = []
    var milestones: [Milestone] = []
    var statistics: [Statistic] = []

    mutating func append(_ other: RecordBatch) {
        organisations += other.organisations
        awards += other.awards
        suppliers += other.suppliers
        milestones += other.milestones
        statistics += other.statistics
    }

    var counts: [RecordKind: Int] {
        var c: [RecordKind: Int] = [:]
        if !organisations.isEmpty { c[.organisations] = organisations.count }
        if !awards.isEmpty { c[.awards] = awards.count }
        if !suppliers.isEmpty { c[.suppliers] = suppliers.count }
        if !milestones.isEmpty { c[.milestones] = milestones.count }
        if !statistics.isEmpty { c[.statistics] = statistics.count }
        return c
    }

    /// Keeps the first record of each id and quarantines the rest: a second record with the same id
    /// would make lookups and totals depend on source order.
    mutating func removeDuplicateIds() -> [QuarantineEntry] {
        var rejected: [QuarantineEntry] = []
        func dedupe<R>(_ records: inout [R], id: (R) -> String, origin: (R) -> RecordOrigin?) {
            var seen: [String: RecordOrigin?] = [:]
            records = records.filter { record in
                let key = id(record)
                guard let first = seen[key] else {
                    seen[key] = origin(record)
                    return true
                }
                let o = origin(record)
                rejected.append(QuarantineEntry(
                    source: o?.source ?? "", location: o?.location ?? "", field: "id",
                    reason: "duplicate id '\(key)' (first at \(first?.location ?? "an earlier record"))"))
                return false
            }
        }
        dedupe(&organisations, id: \.id, origin: \.origin)
        dedupe(&awards, id: \.id, origin: \.origin)
        dedupe(&suppliers, id: \.id, origin: \.origin)
        dedupe(&milestones, id: \.id, origin: \.origin)
        return rejected
    }

    var snapshot: Snapshot {
        Snapshot(organisations: organisations, awards: awards, suppliers: suppliers, milestones: milestones,
                 statistics: statistics)
    }

    /// Decodes one record of `kind` from a JSON object and adds it, stamping its origin.
    mutating func add(_ kind: RecordKind, json: Data, origin: RecordOrigin) throws {
        let decoder = JSONDecoder()
        switch kind {
        case .organisations:
            var r = try decoder.decode(Organisation.self, from: json); r.origin = origin; organisations.append(r)
        case .awards:
            var r = try decoder.decode(Award.self, from: json); r.origin = origin; awards.append(r)
        case .suppliers:
            var r = try decoder.decode(Supplier.self, from: json); r.origin = origin; suppliers.append(r)
        case .milestones:
            var r = try decoder.decode(Milestone.self, from: json); r.origin = origin; milestones.append(r)
        case .statistics:
            var r = try decoder.decode(Statistic.self, from: json); r.origin = origin; statistics.append(r)
        }
    }
}

extension DecodingError {
    /// The field path and a plain reason, for quarantine entries.
    var fieldAndReason: (field: String?, reason: String) {
        func path(_ keys: [any CodingKey]) -> String? {
            let parts = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return parts.isEmpty ? nil : parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch self {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "is required but missing")
        case .valueNotFound(_, let context):
            return (path(context.codingPath), "is required but null")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "has the wrong type (expected \(type))")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return (nil, "\(self)")
        }
    }
}
