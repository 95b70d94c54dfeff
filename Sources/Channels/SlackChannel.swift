import CurlKit
import Foundation
import ReportKit

/// Slack incoming webhooks: `slack://TokenA/TokenB/TokenC` (Apprise's form; `?mode=gov-hook` for
/// hooks.slack-gov.com; a `botname@` prefix is accepted and ignored, since app webhooks cannot change
/// the name), or the raw `https://hooks.slack.com/services/T…/B…/…` URL.
///
/// Rendered as Block Kit: a `header` (title ≤ 150 characters; a longer title becomes a bold section),
/// `section` blocks (mrkdwn, ≤ 3000 each: summary, each digest section with its items, hashtags,
/// sources), and a top-level `text` fallback holding the same text. A message holds ≤ 50 blocks and
/// ≤ 12,000 characters of block text (Slack reports `msg_blocks_too_long` near 13k); a digest over
/// either is split into several messages, in order — never truncated. Characters are counted in
/// UTF-16 code units after mrkdwn escaping, the conservative reading.
///
/// POST `/services/T/B/C`; success is `200 ok` with no id. No idempotency.
public struct SlackChannel: HTTPChannel {
    public static let headerLimit = 150
    public static let sectionLimit = 3000
    public static let blocksPerMessage = 50
    public static let textPerMessage = 12_000

    public let settings: DestinationSettings
    public var recipients: [String] { [teamAndBot] }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [token] }

    let base: ServiceBase
    let endpoint: ServiceBase?
    let path: String
    let teamAndBot: String
    let token: String

    /// Whether `url` is a raw Slack webhook URL.
    public static func recognises(_ url: String) -> Bool {
        guard let raw = try? RawServiceURL(url), raw.scheme == "https" || raw.scheme == "http" else { return false }
        let host = raw.userInfoAndHost.hostPort.split(separator: ":").first.map { $0.lowercased() } ?? ""
        return (host == "hooks.slack.com" || host == "hooks.slack-gov.com") && raw.path.hasPrefix("/services/")
    }

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        guard settings.recipients.isEmpty else {
            throw ChannelError("a Slack webhook posts to one channel: 'to:' is not supported (use one destination per webhook)")
        }
        let raw = try RawServiceURL(settings.url)
        var tokens: [String]
        switch raw.scheme {
        case "slack":
            let (_, _, hostPort) = raw.userInfoAndHost
            tokens = [hostPort] + raw.pathSegments
            switch raw.queryValue("mode")?.lowercased() ?? "hook" {
            case "hook": base = ServiceBase(scheme: "https", host: "hooks.slack.com")
            case "gov-hook": base = ServiceBase(scheme: "https", host: "hooks.slack-gov.com")
            default: throw ChannelError("slack://: only webhook modes are supported (mode=hook or mode=gov-hook)")
            }
        case "https", "http":
            guard Self.recognises(settings.url) else {
                throw ChannelError("not a Slack webhook URL (expected https://hooks.slack.com/services/T…/B…/…)")
            }
            let (host, port) = try RawServiceURL.hostAndPort(raw.userInfoAndHost.hostPort, what: "url")
            base = ServiceBase(scheme: raw.scheme, host: host, port: port)
            tokens = Array(raw.pathSegments.dropFirst())
        default:
            throw ChannelError("not a Slack URL (expected slack://TokenA/TokenB/TokenC)")
        }
        guard tokens.count == 3 else {
            throw ChannelError("a Slack webhook needs exactly three tokens: slack://TokenA/TokenB/TokenC "
                + "(channel overrides need bot mode, which Herald does not support)")
        }
        let allowed = CharacterSet.alphanumerics
        for (index, token) in tokens.enumerated() where token.isEmpty || token.unicodeScalars.contains(where: { !allowed.contains($0) }) {
            throw ChannelError("Slack token \(["A", "B", "C"][index]) must be letters and digits only")
        }
        teamAndBot = tokens[0] + "/" + tokens[1]
        token = tokens[2]
        path = "/services/" + tokens.joined(separator: "/")
    }

    // MARK: - Rendering

    struct Block {
        var json: JSON
        var text: String
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func linkTarget(_ url: URL) -> String {
        url.absoluteString.replacingOccurrences(of: "|", with: "%7C").replacingOccurrences(of: ">", with: "%3E")
    }

    static func section(_ text: String) -> Block {
        Block(json: .object([("type", .string("section")), ("text", .object([("type", .string("mrkdwn")), ("text", .string(text))]))]),
              text: text)
    }

    /// The blocks of a digest, each within its own limit.
    static func blocks(_ digest: Digest) -> [Block] {
        let splitter = TextSplitter.utf16(limit: sectionLimit)
        var blocks: [Block] = []
        if !digest.title.isEmpty {
            if digest.title.utf16.count <= headerLimit, !digest.title.contains("\n") {
                blocks.append(Block(json: .object([
                    ("type", .string("header")),
                    ("text", .object([("type", .string("plain_text")), ("text", .string(digest.title))])),
                ]), text: digest.title))
            } else {
                let bold = TextSplitter.utf16(limit: sectionLimit - 2).split(escape(digest.title))
                blocks += bold.map { section("*" + $0 + "*") }
            }
        }
        if !digest.summary.isEmpty {
            blocks += splitter.split(escape(digest.summary)).map(section)
        }
        for item in digest.sections where !item.items.isEmpty {
            var lines: [String] = []
            if !item.title.isEmpty { lines.append("*" + escape(item.title) + "*") }
            for entry in item.items {
                lines.append("• " + escape(entry.text) + (entry.link.map { " <\(linkTarget($0))>" } ?? ""))
            }
            blocks += splitter.pack(lines).map(section)
        }
        if !digest.hashtags.isEmpty {
            blocks += splitter.split(escape(digest.hashtags.map { "#" + $0 }.joined(separator: " "))).map(section)
        }
        if !digest.links.isEmpty {
            let lines = ["*Sources*"] + digest.links.map { link in
                link.title.contains("|")
                    ? "• " + escape(link.title) + ": <\(linkTarget(link.url))>"
                    : "• <\(linkTarget(link.url))|\(escape(link.title))>"
            }
            blocks += splitter.pack(lines).map(section)
        }
        return blocks
    }

    /// The message bodies of a digest: blocks packed into messages within the per-message limits.
    static func messages(_ digest: Digest) -> [Data] {
        var groups: [[Block]] = []
        var current: [Block] = []
        var size = 0
        for block in blocks(digest) {
            let count = block.text.utf16.count
            if !current.isEmpty, current.count >= blocksPerMessage || size + count > textPerMessage {
                groups.append(current)
                current = []
                size = 0
            }
            current.append(block)
            size += count
        }
        if !current.isEmpty { groups.append(current) }
        return groups.map { group in
            JSON.object([
                ("text", .string(group.map(\.text).joined(separator: "\n"))),
                ("blocks", .array(group.map(\.json))),
                ("unfurl_links", .bool(false)),
                ("unfurl_media", .bool(false)),
            ]).data
        }
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let bodies = Self.messages(digest)
        return bodies.enumerated().map { ChannelMessage(recipient: teamAndBot, part: $0.offset, partCount: bodies.count, payload: $0.element) }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: path),
                    headers: [HTTPHeader("Content-Type", "application/json; charset=utf-8")], body: message.payload)
    }

    // MARK: - Replies

    /// Error strings that mean the webhook or its channel is gone for good.
    static let goneErrors: Set<String> = [
        "invalid_token", "no_service", "no_service_id", "no_team", "team_disabled", "channel_not_found",
        "channel_is_archived", "user_not_found",
    ]

    /// 200 `ok` sent; Slack's error strings for a removed webhook or channel, and 404/410, dead as gone;
    /// 429 retry after `Retry-After`; 5xx retry; other 4xx dead with Slack's error string.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let code = ResponseRules.excerpt(response.body)
        if (400..<500).contains(response.status), response.status != 429, Self.goneErrors.contains(code) {
            return .dead(reason: "HTTP \(response.status) (gone: the Slack webhook or its channel no longer exists; "
                + "fix or remove the destination): \(scrub(code))")
        }
        return ResponseRules.verdict(response, now: now, serviceError: code, scrub: scrub)
    }
}
