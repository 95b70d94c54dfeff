import Foundation
import ReportKit
import SnapshotArchive

/// Reads configured sources into one snapshot.
public enum Gatherer {
    /// Reads every source in order; a source that cannot be read at all throws, a bad record in an
    /// otherwise readable source is quarantined and the rest are kept. Local files only: a source
    /// with a URL needs ``gather(_:fetcher:)``.
    public static func gather(_ sources: [SourceDefinition]) throws -> GatherResult {
        var parts: [SourcePart] = []
        for source in sources {
            guard source.url == nil else {
                throw GatheringError(source: source.name, location: source.address,
                                     message: "a remote source needs a fetcher (herald gather and runs have one)")
            }
            parts.append(try readLocal(source))
        }
        return combine(parts)
    }

    /// Reads every source in order, fetching remote ones through `fetcher` (conditional GET, cached
    /// body and parse).
    public static func gather(_ sources: [SourceDefinition], fetcher: SourceFetcher) async throws -> GatherResult {
        var parts: [SourcePart] = []
        for source in sources {
            if source.url != nil {
                parts.append(try await fetcher.read(source))
            } else {
                parts.append(try readLocal(source))
            }
        }
        return combine(parts)
    }

    static func combine(_ parts: [SourcePart]) -> GatherResult {
        var batch = RecordBatch()
        var summaries: [SourceSummary] = []
        var quarantine: [QuarantineEntry] = []
        for part in parts {
            summaries.append(SourceSummary(name: part.source.name, path: part.source.path, accepted: part.batch.counts,
                                           quarantined: part.rejected.count, read: part.read, fetch: part.fetch,
                                           limit: part.source.maxBadRows))
            batch.append(part.batch)
            quarantine += part.rejected
        }
        let duplicates = batch.removeDuplicateIds()
        for entry in duplicates {
            if let i = summaries.firstIndex(where: { $0.name == entry.source }) { summaries[i].quarantined += 1 }
        }
        quarantine += duplicates
        return GatherResult(archive: batch.archive, sources: summaries, quarantine: quarantine)
    }

    static func readLocal(_ source: SourceDefinition) throws -> SourcePart {
        let attributes = try? FileManager.default.attributesOfItem(atPath: source.path.path)
        let fetch = SourceFetch(source: source.name, address: source.path.path,
                                bytes: (attributes?[.size] as? NSNumber)?.intValue ?? 0, fetchedAt: Date(),
                                fileModified: attributes?[.modificationDate] as? Date, status: .file)
        return try parse(source, fetch: fetch)
    }

    /// Reads `source.path` by its format.
    static func parse(_ source: SourceDefinition, fetch: SourceFetch) throws -> SourcePart {
        var part = SourcePart(source: source, fetch: fetch)
        switch source.format {
        case .records:
            try RecordsFile.read(source, into: &part.batch, quarantine: &part.rejected)
            part.read = part.batch.counts.values.reduce(0, +) + part.rejected.count
        case .csv(let layout):
            try CSVRecords.read(source, layout: layout, into: &part.batch, quarantine: &part.rejected)
            part.read = part.batch.counts.values.reduce(0, +) + part.rejected.count
        case .threeSixtyGiving:
            let file = try map(source)
            let parsed = try ThreeSixtyGivingJSON.read(file.bytes, source: source.name, path: source.path.path, mapped: true)
            part.batch.awards = parsed.table
            part.rejected = parsed.quarantine
            part.read = parsed.records
        case .threeSixtyGivingCSV(let layout):
            let file = try map(source)
            let parsed = try ThreeSixtyGivingCSV.read(file.bytes, layout: layout, source: source.name, path: source.path.path)
            part.batch.awards = parsed.table
            part.rejected = parsed.quarantine
            part.read = parsed.records
        }
        return part
    }

    static func map(_ source: SourceDefinition) throws -> MappedFile {
        do {
            return try MappedFile(path: source.path.path)
        } catch {
            throw GatheringError(source: source.name, location: source.path.path, message: error.message)
        }
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

/// What one source gave: its records, its quarantine, how many records it had, how it was fetched.
struct SourcePart {
    var source: SourceDefinition
    var fetch: SourceFetch
    var batch = RecordBatch()
    var rejected: [QuarantineEntry] = []
    var read = 0
}

/// Records accumulated from one or more sources.
struct RecordBatch {
    var organisations: [Organisation] = []
    /// Awards as rows: a 360Giving source may hold a million.
    var awards = AwardTable()
    var suppliers: [Supplier] = []
    var milestones: [Milestone] = []
    var statistics: [Statistic] = []

    mutating func append(_ other: RecordBatch) {
        organisations += other.organisations
        awards.append(other.awards)
        suppliers += other.suppliers
        milestones += other.milestones
        statistics += other.statistics
    }

    var counts: [RecordKind: Int] {
        var c: [RecordKind: Int] = [:]
        if !organisations.isEmpty { c[.organisations] = organisations.count }
        if awards.count > 0 { c[.awards] = awards.count }
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
        rejected += removeDuplicateAwards()
        dedupe(&suppliers, id: \.id, origin: \.origin)
        dedupe(&milestones, id: \.id, origin: \.origin)
        return rejected
    }

    var archive: SnapshotArchive {
        SnapshotArchive(awards: awards, others: Snapshot(organisations: organisations, suppliers: suppliers,
                                                         milestones: milestones, statistics: statistics))
    }

    /// The award form of ``removeDuplicateIds()``, over rows: the first row of each id is kept.
    private mutating func removeDuplicateAwards() -> [QuarantineEntry] {
        var first = [Int32](repeating: -1, count: awards.strings.count)
        var keep: [Int] = []
        var rejected: [QuarantineEntry] = []
        keep.reserveCapacity(awards.count)
        for i in 0..<awards.count {
            let id = Int(awards.words[i * AwardTable.rowWords])
            if first[id] < 0 {
                first[id] = Int32(i)
                keep.append(i)
                continue
            }
            let o = awards.origin(i), seen = awards.origin(Int(first[id]))
            rejected.append(QuarantineEntry(
                source: o?.source ?? "", location: o?.location ?? "", field: "id",
                reason: "duplicate id '\(awards.strings.string(UInt32(id)))' (first at \(seen?.location ?? "an earlier record"))"))
        }
        if keep.count < awards.count { awards.keepRows(keep) }
        return rejected
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
