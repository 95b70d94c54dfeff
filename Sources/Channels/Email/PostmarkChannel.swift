import CurlKit
import Foundation
import ReportKit

/// Postmark: `postmark://SERVER_TOKEN:herald@example.gov.uk[/to…]` (Apprise's form: the sender address
/// written as password and host) or `postmark://SERVER_TOKEN?from=herald@example.gov.uk`. Options:
/// `stream=` (message stream, default `outbound`; use your broadcast stream for digests), `name=`,
/// `reply_to=`, `unsubscribe=` (``EmailOptions``). Recipients: path segments, `to:` and
/// `recipients_file:`; one delivery (one request) each.
///
/// POST `/email` with `X-Postmark-Server-Token`, JSON `{"To","Metadata":{"herald_key"},"Headers"?,
/// "From","ReplyTo"?,"Subject","TextBody","HtmlBody","MessageStream"}`. 200 with `ErrorCode` 0 is
/// success, `MessageID` the remote id. Postmark has no idempotency; `Metadata.herald_key` (the delivery
/// key) only helps find duplicates. Errors are 422 with an `ErrorCode`: 406 (inactive recipient:
/// bounced, complained or unsubscribed) and 300 (invalid request, e.g. unverified sender) are dead,
/// 429 retries; HTTP 401 dead, 429 and 5xx retry.
public struct PostmarkChannel: HTTPChannel, RecipientScreening {
    public let settings: DestinationSettings
    public var recipients: [String] { list.ids }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [token] }
    public var rejectedRecipients: [RejectedRecipient] { list.rejected }

    let token: String
    let stream: String
    let options: EmailOptions
    let list: EmailRecipientList
    let base: ServiceBase
    let endpoint: ServiceBase?

    static let form = "postmark://SERVER_TOKEN:herald@example.gov.uk"

    /// Parses the settings; throws naming the problem, never the token.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "postmark" else { throw ChannelError("not a Postmark URL (expected \(Self.form))") }
        let (key, from) = try EmailAPISupport.keyAndSender(raw, service: "a Postmark", form: Self.form)
        guard key.count >= 8, !key.contains(where: { $0.isWhitespace }) else {
            throw ChannelError("the Postmark server token looks wrong: \(Self.form)")
        }
        token = key
        try EmailAPISupport.checkOptions(raw, known: ["from", "name", "reply_to", "unsubscribe", "stream"], service: "Postmark")
        let stream = raw.queryValue("stream") ?? "outbound"
        guard !stream.isEmpty, stream.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ChannelError("stream= must be a Postmark message stream id (letters, digits, '-', '_')")
        }
        self.stream = stream
        options = try EmailOptions(raw, from: from, service: "a Postmark destination")
        list = try EmailRecipientList(settings, fromURL: raw.pathSegments)
        base = ServiceBase(scheme: "https", host: "api.postmarkapp.com")
        endpoint = try ServiceBase.endpoint(of: settings)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let content = EmailRendering.content(digest, context: context)
        var fields: [(String, JSON)] = [("From", .string(EmailAPISupport.displayForm(options.from)))]
        if let replyTo = options.replyTo { fields.append(("ReplyTo", .string(EmailAPISupport.displayForm(replyTo)))) }
        fields += [
            ("Subject", .string(content.subject)),
            ("TextBody", .string(content.text)),
            ("HtmlBody", .string(content.html)),
            ("MessageStream", .string(stream)),
        ]
        let payload = JSON.object(fields).data
        return list.ids.map { ChannelMessage(recipient: $0, part: 0, partCount: 1, payload: payload) }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard let to = list.mailbox(message.recipient) else {
            throw ChannelError("recipient '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        var head: [(String, JSON)] = [
            ("To", .string(EmailAPISupport.displayForm(to))),
            ("Metadata", .object([("herald_key", .string(key))])),
        ]
        let headers = EmailAPISupport.unsubscribeHeaders(options.unsubscribe(for: to))
        if !headers.isEmpty {
            head.append(("Headers", .array(headers.map { .object([("Name", .string($0.0)), ("Value", .string($0.1))]) })))
        }
        return HTTPRequest(
            method: "POST", url: base.overridden(by: endpoint).url(path: "/email"),
            headers: [HTTPHeader("X-Postmark-Server-Token", token), HTTPHeader("Accept", "application/json"),
                      HTTPHeader("Content-Type", "application/json")],
            body: EmailAPISupport.spliced(head, into: message.payload))
    }

    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let code = JSONReply.identifier(reply?["ErrorCode"]).flatMap { Int($0) }
        let text = (reply?["Message"] as? String).map { scrub($0) } ?? ResponseRules.excerpt(response.body)
        if (200..<300).contains(response.status) {
            if let code, code != 0 { return .dead(reason: "HTTP \(response.status) with Postmark ErrorCode \(code): \(text)") }
            return .sent(remoteID: reply?["MessageID"] as? String)
        }
        if response.status == 422, let code {
            switch code {
            case 429:
                return .retry(after: ResponseRules.retryAfter(response, now: now), reason: "Postmark ErrorCode 429 (rate limited): \(text)")
            case 406:
                return .dead(reason: "Postmark ErrorCode 406 (inactive recipient: it bounced, complained or unsubscribed; "
                    + "reactivate it in Postmark to send again): \(text)")
            case 10:
                return .dead(reason: "Postmark ErrorCode 10 (server token missing or wrong): \(text)")
            default:
                return .dead(reason: "HTTP 422 Postmark ErrorCode \(code): \(text)")
            }
        }
        return ResponseRules.verdict(response, now: now, serviceError: reply?["Message"] as? String, scrub: scrub)
    }
}
