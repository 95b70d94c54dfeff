import Foundation

/// How one source's bytes were obtained: the provenance a run records beside its snapshot, so every
/// digest can say what data it was built from.
public struct SourceFetch: Sendable, Hashable, Codable {
    /// How the bytes were obtained.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Read from a local file.
        case file
        /// Downloaded (HTTP 200).
        case downloaded
        /// The server said the cached copy is current (HTTP 304).
        case notModified = "not-modified"
    }

    /// The source's name.
    public var source: String
    /// The URL, or the file's path.
    public var address: String
    /// The body's size in bytes.
    public var bytes: Int
    /// The server's `ETag`, if it sent one.
    public var etag: String?
    /// The server's `Last-Modified`, if it sent one.
    public var lastModified: String?
    /// When the bytes were read or the server was asked.
    public var fetchedAt: Date
    /// The file's modification time (local files).
    public var fileModified: Date?
    /// How the bytes were obtained.
    public var status: Status
    /// Whether the records came from the parse cache (an unchanged remote body is not read again).
    public var parsedFromCache: Bool

    /// Creates fetch metadata.
    public init(source: String, address: String, bytes: Int, etag: String? = nil, lastModified: String? = nil,
                fetchedAt: Date, fileModified: Date? = nil, status: Status, parsedFromCache: Bool = false) {
        self.source = source
        self.address = address
        self.bytes = bytes
        self.etag = etag
        self.lastModified = lastModified
        self.fetchedAt = fetchedAt
        self.fileModified = fileModified
        self.status = status
        self.parsedFromCache = parsedFromCache
    }
}
