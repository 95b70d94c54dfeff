import Foundation
import Gathering
import PluginHost

/// What data a snapshot was built from: one line per gathering that produced it, appended to
/// `snapshot-<hash>.provenance.jsonl` beside the snapshot. Keyed by the content hash the run records,
/// so a digest's run leads to its data, and two gatherings of the same bytes both stay on record.
struct SnapshotProvenance: Codable {
    var snapshotHash: String
    var snapshotPath: String
    var gatheredAt: Date
    /// Records accepted per kind, in all sources.
    var records: [String: Int]
    var quarantined: Int
    /// Per source: address, bytes, ETag / Last-Modified, fetch time, file / downloaded / not-modified.
    var sources: [SourceFetch]

    init(handle: SnapshotHandle, gathered: GatherResult) {
        snapshotHash = handle.hash
        snapshotPath = handle.path
        gatheredAt = Date()
        var counts: [String: Int] = [:]
        for source in gathered.sources {
            for (kind, n) in source.accepted { counts[kind.rawValue, default: 0] += n }
        }
        records = counts
        quarantined = gathered.quarantine.count
        sources = gathered.sources.map(\.fetch)
    }

    func append(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var line = try encoder.encode(self)
        line.append(0x0A)
        let url = directory.appendingPathComponent("snapshot-\(snapshotHash).provenance.jsonl")
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}

/// Where remote sources' bodies and parses are cached.
public enum SourceCache {
    /// `var/cache/sources` in Herald's home.
    public static func directory(home: URL) -> URL {
        home.appendingPathComponent("var/cache/sources")
    }
}
