import CurlKit
import Foundation
import ReportKit

/// GOV.UK Notify emails: `notify://API_KEY/TEMPLATE_ID[/to…]` (Apprise has no Notify form; this one
/// follows its pattern). Options: `reply_to_id=` (an email reply-to id from the service's settings),
/// `unsubscribe=` (an https URL that accepts an empty POST, sent as `one_click_unsubscribe_url`;
/// `{recipient}` is replaced by the percent-encoded address). Recipients: the path after the template
/// id, `to:` and `recipients_file:`; one delivery (one request) each.
///
/// Notify sends its own template, so the digest travels as personalisation: the template should use
/// `((title))` (e.g. as its subject), `((summary))` and `((body))`. `body` is the sections, sources and
/// hashtags in Notify's formatting (`##` headings, `*` bullets, bare URLs, which Notify links). The
/// sender, branding and footer are the service's own.
///
/// POST `/v2/notifications/email` with a fresh HS256 JWT (``NotifyKey``) and JSON `{"email_address",
/// "reference","one_click_unsubscribe_url"?,"template_id","personalisation":{title,summary,body},
/// "email_reply_to_id"?}`; `reference` is the delivery key (an opaque hash, so no personal data, as
/// Notify requires). 201 is success, `id` the remote id. Notify has no idempotency. Errors are
/// `{"errors":[{"error","message"}],"status_code"}`, classified by status and error type, never by
/// message text (as Notify asks): 400 and 403 dead; 429 `RateLimitError` (3,000 a minute) retries after
/// `Retry-After` or 60 s; 429 `TooManyRequestsError` (the daily limit) retries after midnight UTC,
/// when the limit resets; 5xx retry.
public struct NotifyChannel: HTTPChannel, RecipientScreening {
    public let settings: DestinationSettings
    public var recipients: [String] { list.ids }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [key.whole, key.secret] }
    public var rejectedRecipients: [RejectedRecipient] { list.rejected }

    let key: NotifyKey
    let templateID: String
    let replyToID: String?
    let unsubscribe: String?
    let list: EmailRecipientList
    let base: ServiceBase
    let endpoint: ServiceBase?

    static let form = "notify://API_KEY/TEMPLATE_ID"

    /// Parses the settings; throws naming the problem, never the key.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "notify" else { throw ChannelError("not a GOV.UK Notify URL (expected \(Self.form))") }
        key = try NotifyKey(raw.authority.removingPercentEncoding ?? raw.authority)
        var segments = raw.pathSegments
        guard let template = segments.first, NotifyKey.isUUID(template) else {
            throw ChannelError("a GOV.UK Notify URL needs the email template's id (a UUID) after the key: \(Self.form)")
        }
        templateID = template.lowercased()
        segments.removeFirst()
        try EmailAPISupport.checkOptions(raw, known: ["reply_to_id", "unsubscribe"], service: "GOV.UK Notify")
        if let reply = raw.queryValue("reply_to_id"), !reply.isEmpty {
            guard NotifyKey.isUUID(reply) else { throw ChannelError("reply_to_id= must be a Notify reply-to email id (a UUID)") }
            replyToID = reply.lowercased()
        } else {
            replyToID = nil
        }
        if let value = raw.queryValue("unsubscribe"), !value.isEmpty {
            let url = try EmailOptions.unsubscribeURL(value)
            guard url.lowercased().hasPrefix("https://") else {
                throw ChannelError("unsubscribe= must be an https URL for Notify (one-click unsubscribe)")
            }
            unsubscribe = url
        } else {
            unsubscribe = nil
        }
        list = try EmailRecipientList(settings, fromURL: segments)
        base = ServiceBase(scheme: "https", host: "api.notifications.service.gov.uk")
        endpoint = try ServiceBase.endpoint(of: settings)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        var fields: [(String, JSON)] = [
            ("template_id", .string(templateID)),
            ("personalisation", .object([
                ("title", .string(digest.title)),
                ("summary", .string(digest.summary)),
                ("body", .string(Self.body(digest))),
            ])),
        ]
        if let replyToID { fields.append(("email_reply_to_id", .string(replyToID))) }
        let payload = JSON.object(fields).data
        return list.ids.map { ChannelMessage(recipient: $0, part: 0, partCount: 1, payload: payload) }
    }

    /// The digest's sections, sources and hashtags in Notify's formatting.
    public static func body(_ digest: Digest) -> String {
        var blocks: [String] = []
        for section in digest.sections where !section.items.isEmpty {
            var lines: [String] = []
            if !section.title.isEmpty { lines += ["## " + oneLine(section.title), ""] }
            for item in section.items {
                lines.append("* " + oneLine(EmailRendering.itemText(item)) + (item.link.map { " – " + $0.absoluteString } ?? ""))
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !digest.links.isEmpty {
            blocks.append((["## Sources", ""] + digest.links.map { "* " + oneLine($0.title) + ": " + $0.url.absoluteString })
                .joined(separator: "\n"))
        }
        if !digest.hashtags.isEmpty { blocks.append(digest.hashtags.map { "#" + $0 }.joined(separator: " ")) }
        return blocks.joined(separator: "\n\n")
    }

    /// Line breaks inside an item would end its bullet.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public func request(for message: ChannelMessage, key deliveryKey: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard let to = list.mailbox(message.recipient) else {
            throw ChannelError("recipient '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        var head: [(String, JSON)] = [("email_address", .string(to.address)), ("reference", .string(deliveryKey))]
        if let unsubscribe {
            let url = unsubscribe.replacingOccurrences(of: "{recipient}", with: Percent.encode(to.address))
            head.append(("one_click_unsubscribe_url", .string(url)))
        }
        return HTTPRequest(
            method: "POST", url: base.overridden(by: endpoint).url(path: "/v2/notifications/email"),
            headers: [HTTPHeader("Authorization", "Bearer " + key.token(at: context.now)),
                      HTTPHeader("Content-Type", "application/json")],
            body: EmailAPISupport.spliced(head, into: message.payload))
    }

    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let errors = (reply?["errors"] as? [[String: Any]]) ?? []
        let types = errors.compactMap { $0["error"] as? String }
        let detail = errors.compactMap { error -> String? in
            guard let message = error["message"] as? String else { return nil }
            return (error["error"] as? String).map { "\($0): \(message)" } ?? message
        }.joined(separator: "; ")
        switch response.status {
        case 200..<300:
            return .sent(remoteID: reply?["id"] as? String)
        case 429 where types.contains("TooManyRequestsError"):
            return .retry(after: ResponseRules.longest(ResponseRules.retryAfter(response, now: now), Self.untilMidnightUTC(now)),
                          reason: "HTTP 429 (Notify's daily sending limit reached; it resets at midnight UTC): \(scrub(detail))")
        case 429:
            return .retry(after: ResponseRules.retryAfter(response, now: now) ?? 60,
                          reason: "HTTP 429 (rate limited: Notify allows 3,000 messages a minute per key type): \(scrub(detail))")
        case 403:
            return .dead(reason: "HTTP 403 (Notify refused the API key or token: check the key, and that the clock is "
                + "within 30 seconds of UTC): \(scrub(detail))")
        default:
            return ResponseRules.verdict(response, now: now, serviceError: detail, scrub: scrub)
        }
    }

    /// Seconds from `now` to the next midnight UTC.
    static func untilMidnightUTC(_ now: Date) -> TimeInterval {
        let day: TimeInterval = 86_400
        let seconds = now.timeIntervalSince1970
        return (seconds / day).rounded(.down) * day + day - seconds
    }
}
