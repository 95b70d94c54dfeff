import CurlKit
import Foundation
import ReportKit

/// Generic JSON webhooks: `json://host[:port]/path` (http) and `jsons://…` (https), Apprise's forms.
///
/// - The body is the herald.digest contract of DESIGN.md:
///   `{"type":"herald.digest","job","logical_time","run_id","digest":{title,summary,sections:[{title,
///   items:[{text,amount?,link?}]}],hashtags,links:[{title,url}]},"text"}`. `logical_time` is RFC 3339
///   UTC (`2014-03-03T09:00:00Z`); `amount` is an object `{"amount":"93000","currency":"GBP"}` whose
///   amount is a decimal **string** (exact to the penny, never a binary float); `amount` and `link`
///   are left out when absent; `text` is ``PlainTextRendering``. One message per subscriber, never split.
/// - `webhook-id` is always the delivery key, so receivers deduplicate. With a `whsec_` secret the
///   request is signed per Standard Webhooks (`webhook-timestamp`, `webhook-signature: v1,…`); any
///   other secret is refused.
/// - Subscribers: the URL itself, plus every `to:` entry (json://, jsons://, http:// or https:// URLs),
///   one delivery each. A subscriber is identified by its URL with credentials masked.
/// - Apprise options kept: `user:password@` (Basic auth), `?+Name=Value` adds a header,
///   `?-name=value` adds a query parameter, `?method=POST|PUT`; other query parameters are kept in the URL.
public struct WebhookChannel: HTTPChannel {
    public let settings: DestinationSettings
    public var recipients: [String] { subscribers.map(\.id) }
    public var deduplicatesByKey: Bool { true }
    public let secrets: [String]

    struct Subscriber: Sendable, Hashable {
        var id: String
        var base: ServiceBase
        var path: String
        var query: String?
        var method: String
        var headers: [HTTPHeader]
    }

    let subscribers: [Subscriber]
    /// Each subscriber's position by id: a destination may list thousands, and every send looks one up.
    let subscriberIndex: [String: Int]
    let signingKey: Data?
    let endpoint: ServiceBase?

    /// Parses the settings; throws naming the problem, never the credentials.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        var secrets: [String] = []
        if let secret = settings.secret, !secret.isEmpty {
            signingKey = try StandardWebhooks.key(fromSecret: secret)
            secrets += [secret, String(secret.dropFirst(StandardWebhooks.secretPrefix.count))]
        } else {
            signingKey = nil
        }
        var subscribers: [Subscriber] = []
        var index: [String: Int] = [:]
        for (position, url) in ([settings.url] + settings.recipients).enumerated() {
            let what = position == 0 ? "url" : settings.position(ofRecipient: position - 1)
            let (subscriber, found) = try Self.subscriber(url, what: what)
            secrets += found
            guard index.updateValue(subscribers.count, forKey: subscriber.id) == nil else {
                throw ChannelError("\(what): the same subscriber is listed twice (or two differ only in credentials)")
            }
            subscribers.append(subscriber)
        }
        self.subscribers = subscribers
        subscriberIndex = index
        self.secrets = secrets
    }

    static func subscriber(_ url: String, what: String) throws(ChannelError) -> (Subscriber, secrets: [String]) {
        let raw = try RawServiceURL(url)
        let scheme: String
        switch raw.scheme {
        case "json", "http": scheme = "http"
        case "jsons", "https": scheme = "https"
        default: throw ChannelError("\(what): a webhook subscriber must be a json://, jsons://, http:// or https:// URL")
        }
        let (user, password, hostPort) = raw.userInfoAndHost
        let (host, port) = try RawServiceURL.hostAndPort(hostPort, what: what)
        var secrets: [String] = []
        var headers: [HTTPHeader] = []
        if let user {
            let credentials = user + ":" + (password ?? "")
            headers.append(HTTPHeader("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
            if let password, !password.isEmpty { secrets.append(password) }
        }
        var method = "POST"
        var query: [String] = []
        for item in raw.queryItems {
            if item.name.hasPrefix("+"), item.name.count > 1 {
                let name = String(item.name.dropFirst())
                headers.append(HTTPHeader(name, item.value))
                if Redaction.credentialHeaderWords.contains(where: { name.lowercased().contains($0) }), !item.value.isEmpty {
                    secrets.append(item.value)
                }
            } else if item.name.hasPrefix(":") {
                throw ChannelError("\(what): payload extras (?:name=value) are not supported: the body is the herald.digest contract")
            } else if item.name.lowercased() == "method" {
                let value = item.value.uppercased()
                guard value == "POST" || value == "PUT" else { throw ChannelError("\(what): method must be POST or PUT") }
                method = value
            } else {
                let name = item.name.hasPrefix("-") ? String(item.name.dropFirst()) : item.name
                query.append(Percent.encode(name) + "=" + Percent.encode(item.value))
                if Redaction.credentialQueryNames.contains(name.lowercased()), !item.value.isEmpty { secrets.append(item.value) }
            }
        }
        let trimmed = url.trimmingWhitespace
        // Only a URL with credentials (user-info, secret-bearing query values) needs redacting to serve as an id.
        // Byte tests: Foundation's `contains` on strings goes through NSString, per subscriber.
        let id = secrets.isEmpty && !trimmed.utf8.contains(UInt8(ascii: "@")) && !trimmed.utf8.contains(UInt8(ascii: "?")) ? trimmed
            : Redaction.redactURL(trimmed, secrets: secrets)
        let subscriber = Subscriber(
            id: id, base: ServiceBase(scheme: scheme, host: host, port: port),
            path: raw.path.isEmpty ? "/" : raw.path, query: query.isEmpty ? nil : query.joined(separator: "&"),
            method: method, headers: headers)
        return (subscriber, secrets)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let payload = Self.body(digest, context: context)
        return subscribers.map { ChannelMessage(recipient: $0.id, part: 0, partCount: 1, payload: payload) }
    }

    /// The herald.digest body (minified, keys in the contract's order).
    public static func body(_ digest: Digest, context: RenderContext) -> Data {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let sections: [JSON] = digest.sections.map { section in
            .object([
                ("title", .string(section.title)),
                ("items", .array(section.items.map { item in
                    var fields: [(String, JSON)] = [("text", .string(item.text))]
                    if let amount = item.amount {
                        var value = amount.amount
                        fields.append(("amount", .object([
                            ("amount", .string(NSDecimalString(&value, Locale(identifier: "en_US_POSIX")))),
                            ("currency", .string(amount.currency)),
                        ])))
                    }
                    if let link = item.link { fields.append(("link", .string(link.absoluteString))) }
                    return .object(fields)
                })),
            ])
        }
        let body: JSON = .object([
            ("type", .string("herald.digest")),
            ("job", .string(context.job)),
            ("logical_time", .string(formatter.string(from: context.logicalTime))),
            ("run_id", .string(context.runID)),
            ("digest", .object([
                ("title", .string(digest.title)),
                ("summary", .string(digest.summary)),
                ("sections", .array(sections)),
                ("hashtags", .array(digest.hashtags.map { .string($0) })),
                ("links", .array(digest.links.map { .object([("title", .string($0.title)), ("url", .string($0.url.absoluteString))]) })),
            ])),
            ("text", .string(PlainTextRendering.render(digest))),
        ])
        return body.data
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard let subscriber = subscriberIndex[message.recipient].map({ subscribers[$0] }) else {
            throw ChannelError("subscriber '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        var headers = [HTTPHeader("Content-Type", "application/json")]
        headers += subscriber.headers
        let timestamp = Int(context.now.timeIntervalSince1970.rounded(.down))
        headers.append(HTTPHeader("webhook-id", key))
        headers.append(HTTPHeader("webhook-timestamp", String(timestamp)))
        if let signingKey {
            headers.append(HTTPHeader("webhook-signature",
                                      StandardWebhooks.signature(key: signingKey, id: key, timestamp: timestamp, body: message.payload)))
        }
        let url = subscriber.base.overridden(by: endpoint).url(path: subscriber.path, query: subscriber.query)
        return HTTPRequest(method: subscriber.method, url: url, headers: headers, body: message.payload)
    }

    /// Standard Webhooks sender rules: 2xx sent; 410 gone; 429/5xx retry honouring `Retry-After`.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        ResponseRules.verdict(response, now: now, serviceError: nil, scrub: scrub)
    }
}
