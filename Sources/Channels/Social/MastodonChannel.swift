import CurlKit
import Foundation
import ReportKit

/// Mastodon: `mastodon://ACCESS_TOKEN@INSTANCE[:PORT][?visibility=public&language=en&spoiler=…]` (also
/// `mastodons://`, `toot://`, `toots://`; always HTTPS — instances do not serve the API over plain HTTP).
///
/// POST `/api/v1/statuses` with JSON `{"status","visibility","language"?,"spoiler_text"?,"in_reply_to_id"?}`,
/// `Authorization: Bearer TOKEN` and the delivery key as `Idempotency-Key`, which the instance remembers for an
/// hour, so a request whose reply was lost may be sent again. A digest longer than one post becomes a thread:
/// each later part replies to the one before and, when the first is public, is `unlisted` so followers' home
/// timelines get one post, not five. Length is counted as Mastodon counts it (grapheme clusters, every URL 23,
/// `@user@domain` as `@user`) against the instance's own limit, read from `/api/v2/instance` before each run
/// renders ("calibration"), or 500 when the instance cannot be reached.
public struct MastodonChannel: HTTPChannel {
    /// Mastodon's upstream limit, used when the instance does not say.
    public static let defaultLimit = 500
    /// What every URL counts, unless the instance says otherwise.
    public static let defaultURLLength = 23

    public let settings: DestinationSettings
    public var recipients: [String] { [account] }
    public var deduplicatesByKey: Bool { true }
    public var secrets: [String] { [token] }

    let token: String
    let base: ServiceBase
    let endpoint: ServiceBase?
    let account: String
    let visibility: String
    let language: String?
    let spoiler: String?
    /// The instance's limit and URL weight, as last learnt.
    public private(set) var limit: Int
    public private(set) var urlLength: Int

    static let visibilities = ["public", "unlisted", "private", "direct"]

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        let raw = try RawServiceURL(settings.url)
        guard ["mastodon", "mastodons", "toot", "toots"].contains(raw.scheme) else {
            throw ChannelError("not a Mastodon URL (expected mastodon://ACCESS_TOKEN@INSTANCE)")
        }
        let info = raw.userInfoAndHost
        guard let token = info.user, !token.isEmpty, info.password == nil else {
            throw ChannelError("a Mastodon destination needs an access token: mastodon://ACCESS_TOKEN@INSTANCE")
        }
        self.token = token
        let (host, port) = try RawServiceURL.hostAndPort(info.hostPort, what: "the Mastodon instance")
        base = ServiceBase(scheme: "https", host: host, port: port)
        account = host + (port.map { ":\($0)" } ?? "")
        guard settings.recipients.isEmpty else {
            throw ChannelError("a Mastodon destination posts to its own account; `to:` is not used (one destination per account)")
        }
        let visibility = raw.queryValue("visibility")?.lowercased() ?? "public"
        guard Self.visibilities.contains(visibility) else {
            throw ChannelError("visibility= must be one of \(Self.visibilities.joined(separator: ", "))")
        }
        self.visibility = visibility
        language = raw.queryValue("language").flatMap { $0.isEmpty ? nil : $0 }
        spoiler = raw.queryValue("spoiler").flatMap { $0.isEmpty ? nil : $0 }
        if let language, !(2...3).contains(language.count) || !language.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw ChannelError("language= must be an ISO 639 code such as en or cy")
        }
        limit = Self.defaultLimit
        urlLength = Self.defaultURLLength
    }

    /// A copy that counts against `limit` with URLs weighing `urlLength` (an instance's own figures).
    public func withLimits(limit: Int, urlLength: Int) -> MastodonChannel {
        var copy = self
        copy.limit = limit
        copy.urlLength = urlLength
        return copy
    }

    /// The thread's texts for `digest`.
    public func posts(_ digest: Digest) -> [String] {
        let urlLength = self.urlLength
        let spoiler = self.spoiler ?? ""
        return SocialThread(limit: limit) { PostLength.mastodon(spoiler + $0, urlLength: urlLength) }.posts(digest)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        let texts = posts(digest)
        return texts.enumerated().map { part in
            var fields: [(String, JSON)] = [("status", .string(part.element))]
            let replyVisibility = visibility == "public" && part.offset > 0 ? "unlisted" : visibility
            fields.append(("visibility", .string(replyVisibility)))
            if let language { fields.append(("language", .string(language))) }
            if let spoiler { fields.append(("spoiler_text", .string(spoiler))) }
            return ChannelMessage(recipient: account, part: part.offset, partCount: texts.count, payload: JSON.object(fields).data)
        }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        var body = message.payload
        if let parent = context.previousRemoteID {
            body = JSON.appending([("in_reply_to_id", .string(parent))], to: body)
        }
        return HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: "/api/v1/statuses"), headers: [
            HTTPHeader("Authorization", "Bearer \(token)"),
            HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("Idempotency-Key", key),
        ], body: body)
    }

    /// 200 sent with the status id; 429 retry when the bucket refills (`X-RateLimit-Reset`, ISO 8601) or after
    /// `Retry-After`; 422 (too long, blank) and other 4xx dead with Mastodon's `error`; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        if (200..<300).contains(response.status) {
            guard let id = JSONReply.identifier(reply?["id"]) else {
                return .dead(reason: "HTTP \(response.status) without a status id: is the endpoint a Mastodon instance?")
            }
            return .sent(remoteID: id)
        }
        let delay = response.status == 429 ? RateLimitHeaders.mastodon.untilReset(response, now: now) : nil
        return ResponseRules.verdict(response, now: now, serviceError: reply?["error"] as? String, serviceDelay: delay, scrub: scrub)
    }

    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? {
        RateLimitHeaders.mastodon.pacing(after: response, at: now)
    }

    public var learnsLimits: Bool { true }

    /// This channel with the instance's own limits from `GET /api/v2/instance`; unchanged when it cannot be read.
    public func calibrated(via transport: any ChannelTransport) async -> any Channel {
        let url = base.overridden(by: endpoint).url(path: "/api/v2/instance")
        if let known = await InstanceLimits.shared.limits(for: url) {
            return withLimits(limit: known.limit, urlLength: known.urlLength)
        }
        guard let response = try? await transport.execute(HTTPRequest(method: "GET", url: url)), response.status == 200,
              let statuses = ((JSONReply.object(response.body)?["configuration"] as? [String: Any])?["statuses"]) as? [String: Any],
              let maximum = statuses["max_characters"] as? Int, maximum > 20
        else { return self }
        let urlLength = (statuses["characters_reserved_per_url"] as? Int).flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultURLLength
        await InstanceLimits.shared.remember(limit: maximum, urlLength: urlLength, for: url)
        return withLimits(limit: maximum, urlLength: urlLength)
    }
}

/// What instances said about their limits, kept for an hour so a busy daemon does not ask before every run.
actor InstanceLimits {
    static let shared = InstanceLimits()

    struct Known {
        var limit: Int
        var urlLength: Int
        var learnt: Date
    }

    private var known: [String: Known] = [:]

    func limits(for url: String) -> Known? {
        guard let entry = known[url], Date().timeIntervalSince(entry.learnt) < 3600 else { return nil }
        return entry
    }

    func remember(limit: Int, urlLength: Int, for url: String) {
        known[url] = Known(limit: limit, urlLength: urlLength, learnt: Date())
    }
}
