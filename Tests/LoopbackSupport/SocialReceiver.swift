import Foundation

/// `Tests/Receivers/social_receiver.py` on loopback: a stand-in for Mastodon, Bluesky or X that refuses
/// what the real service refuses, checked with independent libraries (twitter-text, oauthlib, the atproto
/// SDK), and answers as its plan says.
///
/// Every request is logged before its answer is sent, so once a client has an answer (or has lost the
/// connection on a `lost` or `reset` step) ``requests()`` already shows it.
public final class SocialReceiver: Sendable {
    /// Which service the receiver plays.
    public enum Service: String, Sendable {
        case mastodon, bluesky, x
    }

    // Credentials the receiver accepts unless `options` override them.
    public static let mastodonToken = "hZ4vQeLx0m3N7sKpT2wYcR8uJf6DgA1bEiHoVtWq5Xy"
    public static let blueskyHandle = "herald.test"
    public static let blueskyPassword = "abcd-efgh-ijkl-mnop"
    public static let blueskyDID = "did:plc:hrld4test7q2xk5m3zv6wa2yb"
    public static let xConsumerKey = "cSQyyj4fZrfD4oq6XvGaUjvwd"
    public static let xConsumerSecret = "gpPodU4hesvtW0oaBgMVYvtg4SjqkgGwWhujEw5kUriNXzLQig"
    public static let xAccessToken = "1790000000000000042-ViTtDurFQNtcE41KJ6XIycrLevzatw"
    public static let xAccessSecret = "9v2TvXIdokvOfAFFvcNLrEiJRj5pkKKsh5ZoIfPI0MEOh"

    /// The paths tests plan for.
    public static let mastodonStatuses = "/api/v1/statuses"
    public static let mastodonInstance = "/api/v2/instance"
    public static let blueskyCreateSession = "/xrpc/com.atproto.server.createSession"
    public static let blueskyRefreshSession = "/xrpc/com.atproto.server.refreshSession"
    public static let blueskyCreateRecord = "/xrpc/com.atproto.repo.createRecord"
    public static let xTweets = "/2/tweets"

    /// One request as the receiver logged it.
    public struct Request: Decodable, Hashable, Sendable {
        /// When it arrived (seconds since 1970).
        public var t: Double
        public var service: String
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The status answered, or `lost` / `reset` when nothing was answered.
        public var status: Outcome
        /// The plan step applied to this request, if any (`500`, `429:3`, `lost`, `reset`, `expire`).
        public var step: String?
        /// Why it was refused (nil when it succeeded).
        public var error: String?
        /// True when this request created a post.
        public var created: Bool?
        /// The post's id: a Mastodon or X id, or a Bluesky `at://` URI.
        public var id: String?
        public var text: String?
        /// The id (Mastodon, X) or URI (Bluesky) the post replies to.
        public var replyTo: String?
        /// Bluesky: the URI of the thread's first post.
        public var root: String?
        /// Mastodon's Idempotency-Key, or the rkey a Bluesky client chose.
        public var key: String?
        /// True when a Mastodon Idempotency-Key returned an earlier post instead of creating one.
        public var replayed: Bool?
        /// Bluesky: the record's CID and key, and its facets.
        public var cid: String?
        public var rkey: String?
        public var facets: [Facet]?
        /// Bluesky createSession: attempts in the current 300 s window, this one included.
        public var logins: Int?
        /// The length the service counted (Mastodon characters, X weighted length).
        public var length: Int?

        enum CodingKeys: String, CodingKey {
            case t, service, method, path, status, step, error, created, id, text, root, key, replayed, cid, rkey, facets
            case logins, length
            case replyTo = "reply_to"
        }
    }

    /// A status, or a step that left the client without an answer (`lost`, `reset`).
    public enum Outcome: Decodable, Hashable, Sendable, CustomStringConvertible {
        case status(Int)
        case step(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let status = try? container.decode(Int.self) { self = .status(status) } else { self = .step(try container.decode(String.self)) }
        }

        /// The HTTP status, when one was sent.
        public var code: Int? { if case .status(let code) = self { code } else { nil } }

        public var description: String {
            switch self {
            case .status(let status): String(status)
            case .step(let step): step
            }
        }
    }

    /// A Bluesky rich-text facet as the receiver stored it.
    public struct Facet: Codable, Hashable, Sendable {
        public struct ByteSlice: Codable, Hashable, Sendable {
            public var byteStart: Int
            public var byteEnd: Int
        }

        public struct Feature: Codable, Hashable, Sendable {
            /// `app.bsky.richtext.facet#link`, `#tag` or `#mention`.
            public var type: String
            public var uri: String?
            public var tag: String?
            public var did: String?

            enum CodingKeys: String, CodingKey {
                case type = "$type"
                case uri, tag, did
            }
        }

        public var index: ByteSlice
        public var features: [Feature]
    }

    /// A post the receiver created, in creation order.
    public struct Post: Hashable, Sendable {
        /// Mastodon or X id, or Bluesky `at://` URI.
        public var id: String
        public var text: String
        /// The id or URI it replies to.
        public var replyTo: String?
        /// Bluesky: the thread's first post.
        public var root: String?
        /// Mastodon Idempotency-Key or the client's Bluesky rkey.
        public var key: String?
        /// Bluesky only.
        public var cid: String?
        public var rkey: String?
        public var facets: [Facet]?
    }

    public let service: Service
    public let port: Int
    /// The JSON-lines log the receiver writes.
    public let log: URL
    private let running: ReceiverScript

    /// `Tests/Receivers/social_receiver.py`.
    public static let script = ReceiverScript.path("social_receiver.py")

    /// Starts a receiver playing `service` with the default credentials above; `plan` maps paths (no query)
    /// to the steps for their successive requests; `options` are extra command-line options, which win
    /// over the defaults (e.g. `["--max-characters", "100"]`, `["--access-ttl", "1"]`, `["--no-instance"]`).
    public init(service: Service, plan: [String: [String]] = [:], options: [String] = []) async throws {
        self.service = service
        log = FileManager.default.temporaryDirectory.appendingPathComponent("social-\(service.rawValue)-\(UUID().uuidString).jsonl")
        let credentials: [String] = switch service {
        case .mastodon: ["--token", Self.mastodonToken]
        case .bluesky: ["--handle", Self.blueskyHandle, "--app-password", Self.blueskyPassword, "--did", Self.blueskyDID]
        case .x: ["--consumer-key", Self.xConsumerKey, "--consumer-secret", Self.xConsumerSecret,
                  "--access-token", Self.xAccessToken, "--access-secret", Self.xAccessSecret]
        }
        let arguments = ["--service", service.rawValue, "--log", log.path,
                         "--plan", String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)] + credentials + options
        running = try await ReceiverScript(Self.script, arguments,
                                     setup: "is `python3 -m pip install twitter-text-parser oauthlib atproto grapheme` done?")
        port = running.port
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT`.
    public var base: String { "http://127.0.0.1:\(port)" }

    /// Every request logged so far, in arrival order.
    public func requests() throws -> [Request] {
        guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Request.self, from: Data($0)) }
    }

    /// The requests to `path` (without query).
    public func requests(to path: String) throws -> [Request] { try requests().filter { $0.path == path } }

    /// Every post created so far, in creation order (a `lost` answer's post included; replays not).
    public func posts() throws -> [Post] {
        try requests().compactMap { request in
            guard request.created == true, let id = request.id else { return nil }
            return Post(id: id, text: request.text ?? "", replyTo: request.replyTo, root: request.root, key: request.key,
                        cid: request.cid, rkey: request.rkey, facets: request.facets)
        }
    }
}
