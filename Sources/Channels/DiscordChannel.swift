import CurlKit
import Foundation
import ReportKit

/// Discord webhooks: `discord://WEBHOOK_ID/TOKEN` (Apprise's form; `discord://name@ID/TOKEN` sets the
/// `username`; `?thread=ID` posts into a thread), or the raw
/// `https://discord.com/api[/v10]/webhooks/ID/TOKEN` URL (also discordapp.com).
///
/// POST `/api/webhooks/ID/TOKEN?wait=true`, so the reply is the created message and its `id` becomes
/// the remote id. Rendered as embeds: the title and summary, one embed per digest section (items as
/// lines, continued in further embeds when over 4096), then hashtags and sources. Limits honoured per
/// message: ≤ 10 embeds, title ≤ 256, description ≤ 4096, all embed text ≤ 6000, counted in UTF-16
/// code units; a digest over them is split into several messages, in order — never truncated.
/// `content` is not used (so its 2000 limit cannot be exceeded); `allowed_mentions` is empty, so
/// digest text never pings anyone. No idempotency.
public struct DiscordChannel: HTTPChannel {
    public static let embedsPerMessage = 10
    public static let titleLimit = 256
    public static let descriptionLimit = 4096
    public static let embedTextPerMessage = 6000

    public let settings: DestinationSettings
    public var recipients: [String] { [webhookID] }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [token] }

    let base: ServiceBase
    let endpoint: ServiceBase?
    let webhookID: String
    let token: String
    let threadID: String?
    let username: String?

    /// Whether `url` is a raw Discord webhook URL.
    public static func recognises(_ url: String) -> Bool {
        guard let raw = try? RawServiceURL(url), raw.scheme == "https" || raw.scheme == "http" else { return false }
        let host = raw.userInfoAndHost.hostPort.split(separator: ":").first.map { $0.lowercased() } ?? ""
        let hosts = ["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"]
        return hosts.contains(host) && webhookTokens(raw.pathSegments) != nil
    }

    /// `[api, (vN)?, webhooks, ID, TOKEN]` → (ID, TOKEN).
    static func webhookTokens(_ segments: [String]) -> (String, String)? {
        var rest = segments[...]
        guard rest.popFirst() == "api" else { return nil }
        if let version = rest.first, version.hasPrefix("v"), Int(version.dropFirst()) != nil { rest.removeFirst() }
        guard rest.popFirst() == "webhooks", rest.count == 2 else { return nil }
        return (rest[rest.startIndex], rest[rest.startIndex + 1])
    }

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        guard settings.recipients.isEmpty else {
            throw ChannelError("a Discord webhook posts to one channel: 'to:' is not supported (use one destination per webhook)")
        }
        let raw = try RawServiceURL(settings.url)
        let id: String, token: String
        switch raw.scheme {
        case "discord":
            let (user, _, hostPort) = raw.userInfoAndHost
            let segments = raw.pathSegments
            guard segments.count == 1 else {
                throw ChannelError("a Discord webhook URL is discord://WEBHOOK_ID/TOKEN")
            }
            (id, token) = (hostPort, segments[0])
            username = user.flatMap { $0.isEmpty ? nil : $0 }
            base = ServiceBase(scheme: "https", host: "discord.com")
        case "https", "http":
            guard Self.recognises(settings.url), let tokens = Self.webhookTokens(raw.pathSegments) else {
                throw ChannelError("not a Discord webhook URL (expected https://discord.com/api/webhooks/ID/TOKEN)")
            }
            (id, token) = tokens
            username = nil
            let (host, port) = try RawServiceURL.hostAndPort(raw.userInfoAndHost.hostPort, what: "url")
            base = ServiceBase(scheme: raw.scheme, host: host, port: port)
        default:
            throw ChannelError("not a Discord URL (expected discord://WEBHOOK_ID/TOKEN)")
        }
        guard !id.isEmpty, id.allSatisfy(\.isASCII), id.allSatisfy(\.isNumber) else {
            throw ChannelError("the Discord webhook id must be digits")
        }
        guard !token.isEmpty, token.unicodeScalars.allSatisfy({ Percent.unreserved.contains($0) && $0 != "." && $0 != "~" }) else {
            throw ChannelError("the Discord webhook token must be letters, digits, '-' and '_' only")
        }
        if let username, username.lowercased().contains("discord") || username.lowercased().contains("clyde") {
            throw ChannelError("a Discord webhook username may not contain 'discord' or 'clyde'")
        }
        let thread = raw.queryValue("thread") ?? raw.queryValue("thread_id")
        if let thread, thread.isEmpty || !thread.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw ChannelError("discord: thread must be a thread id (digits)")
        }
        webhookID = id
        self.token = token
        threadID = thread
    }

    // MARK: - Rendering

    struct Embed {
        var title: String?
        var description: String
        var size: Int { (title?.utf16.count ?? 0) + description.utf16.count }

        var json: JSON {
            var fields: [(String, JSON)] = []
            if let title { fields.append(("title", .string(title))) }
            if !description.isEmpty { fields.append(("description", .string(description))) }
            return .object(fields)
        }
    }

    static func escapeLinkText(_ text: String) -> String {
        text.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }

    /// `title` as an embed title when it fits, else nil and a bold line for the description.
    static func titleParts(_ title: String) -> (title: String?, line: String?) {
        let clean = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if clean.isEmpty { return (nil, nil) }
        if clean.utf16.count <= titleLimit, !clean.contains("\n") { return (clean, nil) }
        return (nil, "**" + clean + "**")
    }

    /// Embeds for `lines`, the first carrying `title`; every embed within its limits.
    static func embeds(title: String, lines: [String], separator: String = "\n") -> [Embed] {
        let (embedTitle, titleLine) = titleParts(title)
        let splitter = TextSplitter(limit: descriptionLimit) { $0.trimmingCharacters(in: .whitespacesAndNewlines).utf16.count }
        let descriptions = splitter.pack((titleLine.map { [$0] } ?? []) + lines, separator: separator)
        if descriptions.isEmpty { return embedTitle.map { [Embed(title: $0, description: "")] } ?? [] }
        return descriptions.enumerated().map { Embed(title: $0.offset == 0 ? embedTitle : nil, description: $0.element) }
    }

    static func embeds(_ digest: Digest) -> [Embed] {
        var result = embeds(title: digest.title, lines: digest.summary.isEmpty ? [] : [digest.summary], separator: "\n\n")
        for section in digest.sections where !section.items.isEmpty {
            let lines = section.items.map { item in
                "• " + item.text + (item.link.map { " ([source](\($0.absoluteString)))" } ?? "")
            }
            result += embeds(title: section.title, lines: lines)
        }
        var closing: [String] = []
        if !digest.hashtags.isEmpty { closing.append(digest.hashtags.map { "#" + $0 }.joined(separator: " ")) }
        if !digest.links.isEmpty {
            closing.append("**Sources**")
            closing += digest.links.map { "• [\(escapeLinkText($0.title))](\($0.url.absoluteString))" }
        }
        if !closing.isEmpty { result += embeds(title: "", lines: closing) }
        return result
    }

    /// The message bodies: embeds packed ≤ 10 and ≤ 6000 characters per message.
    func messages(_ digest: Digest) -> [Data] {
        var groups: [[Embed]] = []
        var current: [Embed] = []
        var size = 0
        for embed in Self.embeds(digest) {
            if !current.isEmpty, current.count >= Self.embedsPerMessage || size + embed.size > Self.embedTextPerMessage {
                groups.append(current)
                current = []
                size = 0
            }
            current.append(embed)
            size += embed.size
        }
        if !current.isEmpty { groups.append(current) }
        return groups.map { group in
            var fields: [(String, JSON)] = [("embeds", .array(group.map(\.json)))]
            if let username { fields.append(("username", .string(username))) }
            fields.append(("allowed_mentions", .object([("parse", .array([]))])))
            return JSON.object(fields).data
        }
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let bodies = messages(digest)
        return bodies.enumerated().map { ChannelMessage(recipient: webhookID, part: $0.offset, partCount: bodies.count, payload: $0.element) }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        let query = "wait=true" + (threadID.map { "&thread_id=\($0)" } ?? "")
        return HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: "/api/webhooks/\(webhookID)/\(token)", query: query),
                           headers: [HTTPHeader("Content-Type", "application/json")], body: message.payload)
    }

    // MARK: - Replies

    /// 200 with the message (its `id` is the remote id) or 204: sent. 429: retry after the longest of
    /// `Retry-After`, `X-RateLimit-Reset-After` and the body's `retry_after`. 404 / code 10015 (unknown
    /// webhook): gone. Other 4xx dead with Discord's message and code; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        var serviceError: String?
        if let message = reply?["message"] as? String {
            serviceError = message + (JSONReply.identifier(reply?["code"]).map { " (code \($0))" } ?? "")
        }
        if JSONReply.identifier(reply?["code"]) == "10015", (400..<500).contains(response.status) {
            return .dead(reason: "HTTP \(response.status) (gone: the Discord webhook was deleted; fix or remove the destination)"
                + scrub(serviceError.map { ": " + $0 } ?? ""))
        }
        let delay = ResponseRules.longest(JSONReply.seconds(reply?["retry_after"]),
                                          JSONReply.seconds(response.header("X-RateLimit-Reset-After")))
        return ResponseRules.verdict(response, now: now, remoteID: JSONReply.identifier(reply?["id"]),
                                     serviceError: serviceError, serviceDelay: delay, scrub: scrub)
    }

    /// When `X-RateLimit-Remaining` is 0, wait `X-RateLimit-Reset-After` seconds before the next send.
    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? {
        guard response.header("X-RateLimit-Remaining")?.trimmingCharacters(in: .whitespaces) == "0" else { return nil }
        return JSONReply.seconds(response.header("X-RateLimit-Reset-After"))
    }
}
