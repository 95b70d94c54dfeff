import CurlKit
import Foundation
import ReportKit

/// Bluesky (AT Protocol): `bluesky://HANDLE:APP_PASSWORD@PDS_HOST[?lang=en-GB]` (also `bsky://`), e.g.
/// `bluesky://news.example.org:abcd-efgh-ijkl-mnop@bsky.social`. A handle without a dot gets `.bsky.social`.
///
/// Logs in once (`createSession`) and refreshes after (`refreshSession`); the session is kept, sealed, in the
/// state store, so sends and restarts do not log in again. Each post is `com.atproto.repo.createRecord` of an
/// `app.bsky.feed.post` whose record key is derived from the delivery key, so a retried create names the same
/// record and cannot make a second post; a later attempt first asks whether the record already exists. Posts
/// count 300 graphemes and 3,000 UTF-8 bytes; links show shortened, with a link facet holding the whole URL,
/// and hashtags get tag facets (UTF-8 byte offsets). A longer digest becomes a thread whose later parts carry
/// `reply.root` and `reply.parent` (`uri` and `cid` of the first and the previous post).
public struct BlueskyChannel: Channel {
    /// Bluesky's grapheme limit for a post's text.
    public static let graphemeLimit = 300
    /// Bluesky's UTF-8 byte limit for a post's text.
    public static let byteLimit = 3000

    public let settings: DestinationSettings
    public var recipients: [String] { [handle] }
    // The record key is fixed per delivery: a resent create fails rather than posting twice.
    public var deduplicatesByKey: Bool { true }
    public var secrets: [String] { [password] }

    let handle: String
    let password: String
    let base: ServiceBase
    let endpoint: ServiceBase?
    let langs: [String]?
    let keeper: BlueskySessionKeeper

    /// Parses the settings; throws naming the problem, never the password.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        let raw = try RawServiceURL(settings.url)
        guard ["bluesky", "bsky"].contains(raw.scheme) else {
            throw ChannelError("not a Bluesky URL (expected bluesky://HANDLE:APP_PASSWORD@PDS_HOST)")
        }
        let info = raw.userInfoAndHost
        guard let user = info.user, !user.isEmpty, let password = info.password, !password.isEmpty, !info.hostPort.isEmpty else {
            throw ChannelError("a Bluesky destination needs a handle, an app password and the PDS host: "
                + "bluesky://HANDLE:APP_PASSWORD@bsky.social")
        }
        handle = user.contains(".") ? user.lowercased() : user.lowercased() + ".bsky.social"
        self.password = password
        let (host, port) = try RawServiceURL.hostAndPort(info.hostPort, what: "the Bluesky PDS")
        base = ServiceBase(scheme: "https", host: host, port: port)
        guard settings.recipients.isEmpty else {
            throw ChannelError("a Bluesky destination posts as its own account; `to:` is not used")
        }
        let langs: [String]? = raw.queryValue("lang").map { text in text.split(separator: ",").map { String($0) } }
        if let langs, langs.count > 3 || langs.contains(where: { (tag: String) in tag.contains(where: { $0.isWhitespace }) }) {
            throw ChannelError("lang= takes up to three BCP 47 language tags separated by commas, e.g. lang=en-GB,cy")
        }
        self.langs = langs
        keeper = BlueskySessionKeeper(destination: settings.name, base: base.overridden(by: endpoint).url(path: ""),
                                      identifier: handle, password: password)
    }

    /// The texts of the thread for `digest`, as they will read.
    public static func posts(_ digest: Digest) -> [String] {
        BlueskyPost.thread(digest, langs: nil, keyTime: 0).map(\.text)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        let keyTime = Int64((context.logicalTime.timeIntervalSince1970 * 1_000_000).rounded())
        let posts = BlueskyPost.thread(digest, langs: langs, keyTime: keyTime)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return posts.enumerated().compactMap { part in
            guard let payload = try? encoder.encode(part.element) else { return nil }
            return ChannelMessage(recipient: handle, part: part.offset, partCount: posts.count, payload: payload)
        }
    }

    /// `createRecord` for `message` as it will be sent; `repo` is the handle (the PDS accepts it as well as the
    /// DID), and the bearer token is the session's, known only when sending.
    public func transmission(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> Transmission {
        .http(createRecord(try Self.post(in: message), key: key, context: context, repo: handle, accessToken: "{session access token}"))
    }

    /// The post a message holds.
    static func post(in message: ChannelMessage) throws(ChannelError) -> BlueskyPost {
        guard let post = try? JSONDecoder().decode(BlueskyPost.self, from: message.payload) else {
            throw ChannelError("the stored post is not a Bluesky post (was the destination's URL changed?)")
        }
        return post
    }

    func createRecord(_ post: BlueskyPost, key: String, context: RequestContext, repo: String, accessToken: String) -> HTTPRequest {
        var record: [(String, JSON)] = [("$type", .string("app.bsky.feed.post")), ("text", .string(post.text))]
        if !post.facets.isEmpty {
            record.append(("facets", .array(post.facets.map { facet in
                let features = facet.features.map { feature -> JSON in
                    var fields: [(String, JSON)] = [("$type", .string(feature.type))]
                    if let uri = feature.uri { fields.append(("uri", .string(uri))) }
                    if let tag = feature.tag { fields.append(("tag", .string(tag))) }
                    return .object(fields)
                }
                return .object([("index", .object([("byteStart", .int(facet.index.byteStart)), ("byteEnd", .int(facet.index.byteEnd))])),
                                ("features", .array(features))])
            })))
        }
        if let langs = post.langs { record.append(("langs", .array(langs.map { .string($0) }))) }
        if let parent = context.previousRemoteID.map(Self.reference) {
            let root = context.rootRemoteID.map(Self.reference) ?? parent
            record.append(("reply", .object([("root", root.json), ("parent", parent.json)])))
        }
        record.append(("createdAt", .string(Self.timestamp(context.now))))
        let body = JSON.object([
            ("repo", .string(repo)), ("collection", .string("app.bsky.feed.post")),
            ("rkey", .string(BlueskyPost.recordKey(keyTime: post.keyTime, deliveryKey: key))),
            ("validate", .bool(true)), ("record", .object(record)),
        ]).data
        return HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: "/xrpc/com.atproto.repo.createRecord"),
                           headers: [HTTPHeader("Authorization", "Bearer \(accessToken)"), HTTPHeader("Content-Type", "application/json")],
                           body: body)
    }

    /// A post's `uri` and `cid`, kept together as its remote id ("URI CID").
    struct Reference {
        var uri: String
        var cid: String
        var json: JSON { .object([("uri", .string(uri)), ("cid", .string(cid))]) }
    }

    static func reference(_ remoteID: String) -> Reference {
        let parts = remoteID.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2, parts[0].hasPrefix("at://") { return Reference(uri: parts[0], cid: parts[1]) }
        // A preview's placeholder ("{id of part 2}") stands for both.
        return Reference(uri: remoteID.replacingOccurrences(of: "{id", with: "{uri"), cid: remoteID.replacingOccurrences(of: "{id", with: "{cid"))
    }

    /// RFC 3339 in UTC with milliseconds, as Bluesky's own clients write `createdAt`.
    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    public func send(_ message: ChannelMessage, key: String, context: RequestContext, via transport: any ChannelTransport) async -> SendReport {
        var session: BlueskySession
        do {
            session = try await keeper.current(store: context.sessions, transport: transport)
        } catch {
            return (error as? BlueskySessionFailure)?.report ?? SendReport(verdict: .retry(after: nil, reason: scrub("\(error)")))
        }
        let post: BlueskyPost
        do {
            post = try Self.post(in: message)
        } catch {
            return SendReport(verdict: .dead(reason: error.message))
        }
        let rkey = BlueskyPost.recordKey(keyTime: post.keyTime, deliveryKey: key)
        // An earlier attempt may have created the record and lost the reply: if so, that post is this delivery.
        if context.attempt > 1, let existing = await existingRecord(rkey: rkey, session: session, transport: transport) {
            return SendReport(verdict: .sent(remoteID: existing), status: 200)
        }
        for round in 0..<2 {
            let request = createRecord(post, key: key, context: context, repo: session.did, accessToken: session.accessJwt)
            let response: HTTPResponse
            do {
                response = try await transport.execute(request)
            } catch {
                return SendReport(verdict: classify(transportError: error.description, requestMayHaveBeenSent: error.requestMayHaveBeenSent))
            }
            let reply = JSONReply.object(response.body)
            let code = reply?["error"] as? String
            if round == 0, [400, 401].contains(response.status), code == "ExpiredToken" || code == "InvalidToken" {
                do {
                    session = try await keeper.renewed(after: session, store: context.sessions, transport: transport)
                } catch {
                    return (error as? BlueskySessionFailure)?.report ?? SendReport(verdict: .retry(after: nil, reason: scrub("\(error)")))
                }
                continue
            }
            return await report(response, reply: reply, rkey: rkey, session: session, transport: transport)
        }
        return SendReport(verdict: .retry(after: nil, reason: "the PDS refused a fresh session's token"))
    }

    private func report(_ response: HTTPResponse, reply: [String: Any]?, rkey: String, session: BlueskySession,
                        transport: any ChannelTransport) async -> SendReport {
        let now = Date()
        let excerpt = scrub(ResponseRules.excerpt(response.body).replacingOccurrences(of: session.accessJwt, with: Redaction.mask))
        if response.status == 200 {
            guard let uri = reply?["uri"] as? String, let cid = reply?["cid"] as? String else {
                return SendReport(verdict: .dead(reason: "HTTP 200 without uri and cid: is the endpoint a PDS?"), status: 200, excerpt: excerpt)
            }
            return SendReport(verdict: .sent(remoteID: uri + " " + cid), status: 200, excerpt: excerpt,
                              pacing: RateLimitHeaders.bluesky.pacing(after: response, at: now))
        }
        // A record already under this key is this delivery's post, created by an attempt whose reply was lost.
        if (400..<500).contains(response.status), response.status != 429,
           let existing = await existingRecord(rkey: rkey, session: session, transport: transport) {
            return SendReport(verdict: .sent(remoteID: existing), status: response.status, excerpt: excerpt)
        }
        let detail = [reply?["error"] as? String, reply?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
        let delay = response.status == 429 ? RateLimitHeaders.bluesky.untilReset(response, now: now) : nil
        let verdict = ResponseRules.verdict(response, now: now, serviceError: detail, serviceDelay: delay, scrub: scrub)
        let pacing: TimeInterval? = if case .retry(let after, _) = verdict { after } else { nil }
        return SendReport(verdict: verdict, status: response.status, excerpt: excerpt, pacing: pacing)
    }

    /// "URI CID" of the post under `rkey` in the account's repo, or nil when there is none (or no answer).
    private func existingRecord(rkey: String, session: BlueskySession, transport: any ChannelTransport) async -> String? {
        let query = "repo=\(Percent.encode(session.did))&collection=app.bsky.feed.post&rkey=\(Percent.encode(rkey))"
        let request = HTTPRequest(method: "GET", url: base.overridden(by: endpoint).url(path: "/xrpc/com.atproto.repo.getRecord", query: query),
                                  headers: [HTTPHeader("Authorization", "Bearer \(session.accessJwt)")])
        guard let response = try? await transport.execute(request), response.status == 200,
              let reply = JSONReply.object(response.body), let uri = reply["uri"] as? String, let cid = reply["cid"] as? String
        else { return nil }
        return uri + " " + cid
    }
}
