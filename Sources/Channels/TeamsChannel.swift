import CurlKit
import Foundation
import ReportKit

/// Microsoft Teams through a Workflows (Power Automate) webhook, "When a Teams webhook request is
/// received". URL forms:
/// - `teams://HOST[:PORT]/WORKFLOW_ID/SIGNATURE` (Apprise's `workflow://` form; `workflow://` and
///   `workflows://` are accepted too), with Apprise's options `?pa=yes` (the
///   `/powerautomate/automations/direct` path), `&route=N` (its `/cu/N` segment) and `&ver=` (the
///   api-version; default `2016-06-01`, or `2022-03-01-preview` with `pa=yes`);
/// - the raw URL copied from the workflow, `https://…/workflows/ID/triggers/manual/paths/invoke?…&sig=…`,
///   sent as is (the `sig` query parameter is the credential).
///
/// Body: `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
/// "contentUrl":null,"content":{AdaptiveCard 1.4: TextBlocks for the title, summary, section titles,
/// items, hashtags and sources}}]}`. Teams publishes no field limits (≈ 28 KB per message is reported);
/// a card is kept ≤ 20,000 UTF-8 bytes of JSON, and a larger digest is split into several messages,
/// in order. Success is 200 or 202 with no id. Legacy Office 365 connector URLs are retired and not
/// accepted. No idempotency.
public struct TeamsChannel: HTTPChannel {
    public static let payloadLimit = 20_000

    public let settings: DestinationSettings
    public var recipients: [String] { [workflowID] }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [signature] }

    let base: ServiceBase
    let endpoint: ServiceBase?
    let path: String
    let query: String
    let workflowID: String
    let signature: String

    static let invokeSuffix = "/triggers/manual/paths/invoke"

    /// Whether `url` is a raw Teams workflow webhook URL.
    public static func recognises(_ url: String) -> Bool {
        guard let raw = try? RawServiceURL(url), raw.scheme == "https" || raw.scheme == "http" else { return false }
        return raw.path.contains("/workflows/") && raw.path.hasSuffix(invokeSuffix) && raw.queryValue("sig") != nil
    }

    /// Parses the settings; throws naming the problem, never the signature.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        guard settings.recipients.isEmpty else {
            throw ChannelError("a Teams workflow webhook posts where its workflow says: 'to:' is not supported")
        }
        let raw = try RawServiceURL(settings.url)
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        func valid(_ text: String) -> Bool { !text.isEmpty && text.unicodeScalars.allSatisfy { allowed.contains($0) } }
        switch raw.scheme {
        case "teams", "workflow", "workflows":
            guard !raw.authority.contains("@") else { throw ChannelError("teams://: the URL must not hold user@ credentials") }
            let (host, port) = try RawServiceURL.hostAndPort(raw.authority, what: "teams://")
            let segments = raw.pathSegments
            guard segments.count == 2 else {
                throw ChannelError("a Teams workflow URL is teams://HOST[:PORT]/WORKFLOW_ID/SIGNATURE")
            }
            guard valid(segments[0]) else { throw ChannelError("the Teams workflow id must be letters, digits, '-' and '_' only") }
            guard valid(segments[1]) else { throw ChannelError("the Teams workflow signature must be letters, digits, '-' and '_' only") }
            workflowID = segments[0]
            signature = segments[1]
            let powerAutomate = ["yes", "true", "1", "on"].contains(raw.queryValue("pa")?.lowercased() ?? raw.queryValue("powerautomate")?.lowercased() ?? "")
            var prefix = ""
            if powerAutomate {
                prefix = "/powerautomate/automations/direct"
                if let route = raw.queryValue("route") {
                    guard !route.isEmpty, route.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                        throw ChannelError("teams://: route must be digits")
                    }
                    prefix += "/cu/" + route
                }
            }
            let version = raw.queryValue("ver") ?? raw.queryValue("api-version") ?? (powerAutomate ? "2022-03-01-preview" : "2016-06-01")
            path = prefix + "/workflows/" + workflowID + Self.invokeSuffix
            query = "api-version=" + Percent.encode(version) + "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + Percent.encode(signature)
            base = ServiceBase(scheme: "https", host: host, port: port)
        case "https", "http":
            guard Self.recognises(settings.url), let rawQuery = raw.query, let sig = raw.queryValue("sig"), !sig.isEmpty else {
                throw ChannelError("not a Teams workflow webhook URL (expected https://…/workflows/ID/triggers/manual/paths/invoke?…&sig=…)")
            }
            let (_, _, hostPort) = raw.userInfoAndHost
            let (host, port) = try RawServiceURL.hostAndPort(hostPort, what: "url")
            let segments = raw.pathSegments
            guard let index = segments.firstIndex(of: "workflows"), index + 1 < segments.count else {
                throw ChannelError("not a Teams workflow webhook URL: no workflow id")
            }
            workflowID = segments[index + 1]
            signature = sig
            path = raw.path
            query = rawQuery
            base = ServiceBase(scheme: raw.scheme, host: host, port: port)
        default:
            throw ChannelError("not a Teams workflow URL (expected teams://HOST/WORKFLOW_ID/SIGNATURE or the workflow's https:// URL)")
        }
    }

    // MARK: - Rendering

    static func textBlock(_ text: String, _ extra: [(String, JSON)] = []) -> JSON {
        .object([("type", .string("TextBlock")), ("text", .string(text)), ("wrap", .bool(true))] + extra)
    }

    static func payload(_ elements: [JSON]) -> JSON {
        .object([
            ("type", .string("message")),
            ("attachments", .array([.object([
                ("contentType", .string("application/vnd.microsoft.card.adaptive")),
                ("contentUrl", .null),
                ("content", .object([
                    ("$schema", .string("http://adaptivecards.io/schemas/adaptive-card.json")),
                    ("type", .string("AdaptiveCard")),
                    ("version", .string("1.4")),
                    ("body", .array(elements)),
                    ("msteams", .object([("width", .string("full"))])),
                ])),
            ])])),
        ])
    }

    /// The card's elements, each alone well within the payload limit.
    static func elements(_ digest: Digest) -> [JSON] {
        let envelope = payload([]).data.count
        // JSON escaping at most doubles ordinary text; leave room for the element's own keys.
        let splitter = TextSplitter.utf8(limit: (payloadLimit - envelope - 200) / 2)
        func blocks(_ text: String, _ extra: [(String, JSON)] = []) -> [JSON] {
            splitter.split(text).map { textBlock($0, extra) }
        }
        var elements: [JSON] = []
        if !digest.title.isEmpty {
            elements += blocks(digest.title, [("style", .string("heading")), ("weight", .string("Bolder")), ("size", .string("Large"))])
        }
        if !digest.summary.isEmpty { elements += blocks(digest.summary) }
        for section in digest.sections where !section.items.isEmpty {
            if !section.title.isEmpty {
                elements += blocks(section.title, [("weight", .string("Bolder")), ("spacing", .string("Medium"))])
            }
            for item in section.items {
                elements += blocks("- " + item.text + (item.link.map { " ([source](\($0.absoluteString)))" } ?? ""),
                                   [("spacing", .string("Small"))])
            }
        }
        if !digest.hashtags.isEmpty { elements += blocks(digest.hashtags.map { "#" + $0 }.joined(separator: " ")) }
        if !digest.links.isEmpty {
            elements += blocks("Sources", [("weight", .string("Bolder")), ("spacing", .string("Medium"))])
            for link in digest.links {
                let title = link.title.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
                elements += blocks("- [\(title)](\(link.url.absoluteString))", [("spacing", .string("Small"))])
            }
        }
        return elements
    }

    /// The message bodies: elements packed into cards of ≤ ``payloadLimit`` bytes.
    static func messages(_ digest: Digest) -> [Data] {
        let envelope = payload([]).data.count
        var groups: [[JSON]] = []
        var current: [JSON] = []
        var size = envelope
        for element in elements(digest) {
            let count = element.data.count + 1
            if !current.isEmpty, size + count > payloadLimit {
                groups.append(current)
                current = []
                size = envelope
            }
            current.append(element)
            size += count
        }
        if !current.isEmpty { groups.append(current) }
        return groups.map { payload($0).data }
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let bodies = Self.messages(digest)
        return bodies.enumerated().map { ChannelMessage(recipient: workflowID, part: $0.offset, partCount: bodies.count, payload: $0.element) }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: path, query: query),
                    headers: [HTTPHeader("Content-Type", "application/json")], body: message.payload)
    }

    /// 200/202 sent (no id); 401/403 (bad or expired signature) and 404 (workflow deleted) dead;
    /// 429 retry after `Retry-After`; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let error = reply?["error"] as? [String: Any]
        let serviceError = (error?["message"] as? String).map { message in
            (error?["code"] as? String).map { "\($0): \(message)" } ?? message
        }
        return ResponseRules.verdict(response, now: now, serviceError: serviceError, scrub: scrub)
    }
}
