import CurlKit
import Foundation
import ReportKit

/// X (Twitter) API v2: `x://CONSUMER_KEY/CONSUMER_SECRET/ACCESS_TOKEN/ACCESS_SECRET` (also `twitter://`,
/// `tweet://`), the four credentials of an app with Read and Write permission, in OAuth 1.0a user context.
///
/// POST `/2/tweets` with JSON `{"text","reply":{"in_reply_to_tweet_id"}?}`, signed with HMAC-SHA1 (the JSON
/// body is not part of the signature). Length is twitter-text v3's weighted count (NFC, URLs 23, emoji 2, most
/// scripts beyond Latin 2 per code point) against 280; a longer digest becomes a thread, each part replying
/// to the one before. X has no idempotency key: a send whose reply was lost is `unknown` and never resent
/// without the operator (`herald deliveries --state unknown`, then `retry` or `drop`).
public struct XChannel: HTTPChannel {
    /// X's limit for accounts without a subscription.
    public static let limit = 280

    public let settings: DestinationSettings
    public var recipients: [String] { [account] }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [signer.consumerSecret, signer.token, signer.tokenSecret, signer.consumerKey] }

    let signer: OAuth1Signature
    let base: ServiceBase
    let endpoint: ServiceBase?
    /// The access token's user id (its part before `-`), the non-secret name of the account posted as.
    let account: String

    /// Parses the settings; throws naming the problem, never a credential.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        let raw = try RawServiceURL(settings.url)
        guard ["x", "twitter", "tweet"].contains(raw.scheme) else {
            throw ChannelError("not an X URL (expected x://CONSUMER_KEY/CONSUMER_SECRET/ACCESS_TOKEN/ACCESS_SECRET)")
        }
        let parts = [raw.authority.removingPercentEncoding ?? raw.authority] + raw.pathSegments
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw ChannelError("an X destination needs four credentials: x://CONSUMER_KEY/CONSUMER_SECRET/ACCESS_TOKEN/ACCESS_SECRET "
                + "(found \(parts.count) parts)")
        }
        guard settings.recipients.isEmpty else {
            throw ChannelError("an X destination posts as the account of its access token; `to:` is not used")
        }
        signer = OAuth1Signature(consumerKey: parts[0], consumerSecret: parts[1], token: parts[2], tokenSecret: parts[3])
        let userID = parts[2].split(separator: "-").first.map(String.init) ?? ""
        account = userID.allSatisfy(\.isNumber) && !userID.isEmpty ? "user \(userID)" : "x"
        base = ServiceBase(scheme: "https", host: "api.x.com")
    }

    /// The thread's texts for `digest`.
    public static func posts(_ digest: Digest) -> [String] {
        SocialThread(limit: limit) { PostLength.x($0) }.posts(digest)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        let texts = Self.posts(digest)
        return texts.enumerated().map { part in
            ChannelMessage(recipient: account, part: part.offset, partCount: texts.count,
                           payload: JSON.object([("text", .string(part.element))]).data)
        }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        var body = message.payload
        if let parent = context.previousRemoteID {
            body = JSON.appending([("reply", .object([("in_reply_to_tweet_id", .string(parent))]))], to: body)
        }
        let url = base.overridden(by: endpoint).url(path: "/2/tweets")
        let authorization = signer.authorization(method: "POST", url: url, nonce: OAuth1Signature.nonce(),
                                                 timestamp: Int(context.now.timeIntervalSince1970))
        return HTTPRequest(method: "POST", url: url, headers: [
            HTTPHeader("Authorization", authorization),
            HTTPHeader("Content-Type", "application/json"),
        ], body: body)
    }

    /// 201 sent with `data.id`; 429 retry when `x-rate-limit-reset` says; 401/403 (signature, permissions,
    /// duplicate content) and other 4xx dead with X's `detail`; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        if (200..<300).contains(response.status) {
            guard let id = JSONReply.identifier((reply?["data"] as? [String: Any])?["id"]) else {
                return .dead(reason: "HTTP \(response.status) without data.id: is the endpoint the X API?")
            }
            return .sent(remoteID: id)
        }
        var problem = [reply?["title"] as? String, reply?["detail"] as? String].compactMap { $0 }.joined(separator: ": ")
        if problem.isEmpty, let errors = reply?["errors"] as? [[String: Any]] {
            problem = errors.compactMap { $0["message"] as? String }.joined(separator: "; ")
        }
        let delay = response.status == 429 ? RateLimitHeaders.x.untilReset(response, now: now) : nil
        return ResponseRules.verdict(response, now: now, serviceError: problem, serviceDelay: delay, scrub: scrub)
    }

    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? {
        RateLimitHeaders.x.pacing(after: response, at: now)
    }
}
