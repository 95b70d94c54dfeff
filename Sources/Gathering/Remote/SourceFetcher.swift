import CurlKit
import Foundation
import ReportKit
import SnapshotArchive

/// Fetches remote sources with conditional GETs and keeps, per source, the last body and what was
/// read from it under a cache folder (`var/cache/sources`): an unchanged source costs one `304`
/// and no parse.
///
/// Files per source NAME: `NAME.body` (the last 200 body; the source's `path`), `NAME.meta.json`
/// (URL, ETag, Last-Modified, size, when), `NAME.parsed.snap` and `NAME.parsed.json` (the records and
/// quarantine read from that body, and the format they were read with).
public struct SourceFetcher: Sendable {
    let client: CurlClient
    /// Where bodies and parses are kept.
    public let cacheDirectory: URL
    /// The largest body accepted.
    public var maximumBytes: Int
    /// The whole-transfer timeout.
    public var timeout: Duration

    /// Creates a fetcher over `client`, caching under `cacheDirectory`.
    public init(client: CurlClient, cacheDirectory: URL, maximumBytes: Int = 2 << 30, timeout: Duration = .seconds(300)) {
        self.client = client
        self.cacheDirectory = cacheDirectory
        self.maximumBytes = maximumBytes
        self.timeout = timeout
    }

    /// Where a remote source's body is cached: what its `path` should be. The URL's extension is
    /// kept (`NAME.body.json`), since a records file is read as JSON or YAML by its extension.
    public static func bodyPath(for name: String, in cacheDirectory: URL, url: String? = nil) -> URL {
        let ext = url.flatMap { URL(string: $0)?.pathExtension.lowercased() }.map { safe($0) } ?? ""
        return cacheDirectory.appendingPathComponent("\(safe(name)).body" + (ext.isEmpty ? "" : "." + ext))
    }

    struct Meta: Codable, Equatable {
        var url: String
        var etag: String?
        var lastModified: String?
        var bytes: Int
        var fetchedAt: Date
    }

    struct ParsedMeta: Codable {
        var format: String
        var etag: String?
        var lastModified: String?
        var bytes: Int
        var read: Int
        var quarantine: [QuarantineEntry]
    }

    func read(_ source: SourceDefinition) async throws -> SourcePart {
        guard let url = source.url else { return try Gatherer.readLocal(source) }
        let name = SourceFetcher.safe(source.name)
        let metaURL = cacheDirectory.appendingPathComponent("\(name).meta.json")
        let body = source.path
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        } catch {
            throw GatheringError(source: source.name, location: cacheDirectory.path, message: "cannot create the source cache: \(error.localizedDescription)")
        }
        var cached = try? JSONDecoder().decode(Meta.self, from: Data(contentsOf: metaURL))
        if cached?.url != url || !FileManager.default.fileExists(atPath: body.path) { cached = nil }
        var headers: [HTTPHeader] = []
        if let etag = cached?.etag { headers.append(HTTPHeader("If-None-Match", etag)) }
        if let modified = cached?.lastModified { headers.append(HTTPHeader("If-Modified-Since", modified)) }
        let response: HTTPResponse
        do {
            response = try await client.execute(HTTPRequest(method: "GET", url: url, headers: headers),
                                                options: TransferOptions(timeout: timeout, followRedirects: true,
                                                                         maximumResponseBytes: maximumBytes))
        } catch {
            throw GatheringError(source: source.name, location: url, message: "cannot fetch: \(error)")
        }
        let now = Date()
        if response.status == 304, let cached {
            var fetch = SourceFetch(source: source.name, address: url, bytes: cached.bytes, etag: cached.etag,
                                    lastModified: cached.lastModified, fetchedAt: now, status: .notModified)
            if let part = loadParsed(source, meta: cached, fetch: &fetch) { return part }
            let part = try Gatherer.parse(source, fetch: fetch)
            saveParsed(part, meta: cached)
            return part
        }
        guard response.status == 200 else {
            throw GatheringError(source: source.name, location: url,
                                 message: "HTTP \(response.status)\(response.status == 304 ? " without a cached copy" : "")")
        }
        let meta = Meta(url: url, etag: response.header("ETag"), lastModified: response.header("Last-Modified"),
                        bytes: response.body.count, fetchedAt: now)
        do {
            try response.body.write(to: body, options: .atomic)
            try JSONEncoder().encode(meta).write(to: metaURL, options: .atomic)
        } catch {
            throw GatheringError(source: source.name, location: body.path, message: "cannot cache the body: \(error.localizedDescription)")
        }
        let fetch = SourceFetch(source: source.name, address: url, bytes: meta.bytes, etag: meta.etag,
                                lastModified: meta.lastModified, fetchedAt: now, status: .downloaded)
        let part = try Gatherer.parse(source, fetch: fetch)
        saveParsed(part, meta: meta)
        return part
    }

    private func parsedURLs(_ source: SourceDefinition) -> (snap: URL, meta: URL) {
        let name = SourceFetcher.safe(source.name)
        return (cacheDirectory.appendingPathComponent("\(name).parsed.snap"), cacheDirectory.appendingPathComponent("\(name).parsed.json"))
    }

    /// The records read from the cached body last time, if they were read with the same format.
    private func loadParsed(_ source: SourceDefinition, meta: Meta, fetch: inout SourceFetch) -> SourcePart? {
        let urls = parsedURLs(source)
        guard let data = try? Data(contentsOf: urls.meta), let parsed = try? JSONDecoder().decode(ParsedMeta.self, from: data),
            parsed.format == "\(source.format)", parsed.etag == meta.etag, parsed.lastModified == meta.lastModified,
            parsed.bytes == meta.bytes, let snap = try? Data(contentsOf: urls.snap),
            let archive = try? snap.withUnsafeBytes({ bytes throws(SnapshotArchive.FormatError) in try SnapshotArchive(decoding: bytes) })
        else { return nil }
        fetch.parsedFromCache = true
        var part = SourcePart(source: source, fetch: fetch)
        part.batch = RecordBatch(archive)
        part.rejected = parsed.quarantine
        part.read = parsed.read
        return part
    }

    /// Keeps what was read; a failure only costs a parse next time, so it is not an error.
    private func saveParsed(_ part: SourcePart, meta: Meta) {
        let urls = parsedURLs(part.source)
        let parsed = ParsedMeta(format: "\(part.source.format)", etag: meta.etag, lastModified: meta.lastModified,
                                bytes: meta.bytes, read: part.read, quarantine: part.rejected)
        do {
            try Data(part.batch.archive.encoded()).write(to: urls.snap, options: .atomic)
            try JSONEncoder().encode(parsed).write(to: urls.meta, options: .atomic)
        } catch {
            try? FileManager.default.removeItem(at: urls.meta)
        }
    }

    /// A source name as a file name: letters, digits, `-`, `_` and `.` kept, anything else `_`.
    static func safe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" })
    }
}

extension RecordBatch {
    /// The records of an archive (a source's cached parse).
    init(_ archive: SnapshotArchive) {
        self.init()
        awards = archive.awards
        organisations = archive.others.organisations
        suppliers = archive.others.suppliers
        milestones = archive.others.milestones
        statistics = archive.others.statistics
    }
}
