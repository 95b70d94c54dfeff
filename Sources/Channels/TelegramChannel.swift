import CurlKit
import Foundation
import ReportKit

/// Telegram bots: `tgram://BOT_TOKEN/CHAT_ID[:TOPIC][/CHAT_ID…]` (Apprise's form; the token is
/// `123456:ABC-…`, optionally written with its `bot` prefix; a chat is a numeric id or `@channel`,
/// `:TOPIC` a forum topic id). `to:` adds chats in the same form; one delivery per chat and part.
///
/// POST `/bot<TOKEN>/sendMessage` with JSON `{"chat_id","text","message_thread_id"?,
/// "link_preview_options":{"is_disabled":true}}`. The text is ``PlainTextRendering`` with no
/// `parse_mode` (so markup can never fail to parse), in parts of ≤ 4096 UTF-16 code units cut at
/// paragraph, line, sentence, then word boundaries — never inside a word or URL. The remote id is
/// `result.message_id`. No idempotency.
public struct TelegramChannel: HTTPChannel {
    public static let textLimit = 4096

    public let settings: DestinationSettings
    public var recipients: [String] { chats.map(\.id) }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [token] }

    struct Chat: Sendable, Hashable {
        var id: String
        var chat: String
        var topic: Int?
    }

    let base: ServiceBase
    let endpoint: ServiceBase?
    let token: String
    let chats: [Chat]

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        endpoint = try ServiceBase.endpoint(of: settings)
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "tgram" else { throw ChannelError("not a Telegram URL (expected tgram://BOT_TOKEN/CHAT_ID)") }
        var token = raw.authority
        if token.lowercased().hasPrefix("bot") { token = String(token.dropFirst(3)) }
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let secretAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), !parts[1].isEmpty,
              parts[1].unicodeScalars.allSatisfy({ secretAllowed.contains($0) })
        else {
            throw ChannelError("the Telegram bot token must look like 123456789:ABC-def_… (tgram://BOT_TOKEN/CHAT_ID)")
        }
        self.token = token
        var chats: [Chat] = []
        for (index, text) in (raw.pathSegments + settings.recipients).enumerated() {
            let what = index < raw.pathSegments.count ? "chat \(index + 1) of the URL" : "to[\(index - raw.pathSegments.count)]"
            let chat = try Self.chat(text.trimmingCharacters(in: .whitespaces), what: what)
            if !chats.contains(chat) { chats.append(chat) }
        }
        guard !chats.isEmpty else { throw ChannelError("a Telegram destination needs a chat: tgram://BOT_TOKEN/CHAT_ID") }
        self.chats = chats
        base = ServiceBase(scheme: "https", host: "api.telegram.org")
    }

    static func chat(_ text: String, what: String) throws(ChannelError) -> Chat {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let chat = String(parts[0])
        var topic: Int?
        if parts.count == 2 {
            guard let value = Int(parts[1]), value > 0 else { throw ChannelError("\(what): the topic after ':' must be a number") }
            topic = value
        }
        let numeric = chat.hasPrefix("-") ? chat.dropFirst() : Substring(chat)
        let isNumeric = !numeric.isEmpty && numeric.allSatisfy { $0.isASCII && $0.isNumber }
        let isUsername = chat.hasPrefix("@") && chat.count > 1
            && chat.dropFirst().allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
        guard isNumeric || isUsername else {
            throw ChannelError("\(what): a Telegram chat is a numeric id (e.g. -1001234567890) or @channelname")
        }
        return Chat(id: text, chat: chat, topic: topic)
    }

    /// The text parts of a digest.
    public static func parts(_ digest: Digest) -> [String] {
        TextSplitter.utf16(limit: textLimit).split(PlainTextRendering.render(digest))
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let texts = Self.parts(digest)
        return chats.flatMap { chat in
            texts.enumerated().map { part in
                var fields: [(String, JSON)] = [
                    ("chat_id", Int(chat.chat).map { .int($0) } ?? .string(chat.chat)),
                    ("text", .string(part.element)),
                ]
                if let topic = chat.topic { fields.append(("message_thread_id", .int(topic))) }
                fields.append(("link_preview_options", .object([("is_disabled", .bool(true))])))
                return ChannelMessage(recipient: chat.id, part: part.offset, partCount: texts.count, payload: JSON.object(fields).data)
            }
        }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        HTTPRequest(method: "POST", url: base.overridden(by: endpoint).url(path: "/bot\(token)/sendMessage"),
                    headers: [HTTPHeader("Content-Type", "application/json")], body: message.payload)
    }

    /// `{"ok":true,"result":{"message_id"}}` sent with that id; 429 retry after the longest of
    /// `parameters.retry_after` and `Retry-After`; `migrate_to_chat_id` dead naming the new chat id;
    /// other 4xx (and `ok:false`) dead with Telegram's description; 5xx retry.
    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let parameters = reply?["parameters"] as? [String: Any]
        var serviceError: String?
        if let description = reply?["description"] as? String {
            serviceError = description + (JSONReply.identifier(reply?["error_code"]).map { " (error_code \($0))" } ?? "")
        }
        if let migrated = JSONReply.identifier(parameters?["migrate_to_chat_id"]) {
            return .dead(reason: "HTTP \(response.status): the group became a supergroup; its chat id is now \(migrated): "
                + "update the destination")
        }
        if (200..<300).contains(response.status) {
            if let ok = reply?["ok"] as? Bool, ok == false {
                return .dead(reason: "HTTP \(response.status) but ok:false" + scrub(serviceError.map { ": " + $0 } ?? ""))
            }
            let result = reply?["result"] as? [String: Any]
            return .sent(remoteID: JSONReply.identifier(result?["message_id"]))
        }
        return ResponseRules.verdict(response, now: now, serviceError: serviceError,
                                     serviceDelay: JSONReply.seconds(parameters?["retry_after"]), scrub: scrub)
    }
}
