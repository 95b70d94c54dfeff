import CurlKit
import Foundation
import ReportKit

/// SendGrid v3 Mail Send: `sendgrid://API_KEY:herald@example.gov.uk[/to…]` (Apprise's form: the sender
/// address written as password and host) or `sendgrid://API_KEY?from=herald@example.gov.uk`.
/// Options: `name=`, `reply_to=`, `unsubscribe=` (``EmailOptions``), `region=eu` for EU subusers.
/// Recipients: path segments, `to:` and `recipients_file:`; one delivery (one request) each.
///
/// POST `/v3/mail/send`, `Authorization: Bearer KEY`, JSON `{"personalizations":[{"to":[{email,name?}],
/// "custom_args":{"herald_key"},"headers"?}],"from","reply_to"?,"subject","content":[text/plain,
/// text/html]}`. 202 is success; the remote id is the `X-Message-Id` header. SendGrid has no idempotency:
/// `custom_args.herald_key` (the delivery key) only lets an operator find a duplicate in its activity
/// feed. 429 retries after `Retry-After` or `X-RateLimit-Reset` (epoch); after a success with
/// `X-RateLimit-Remaining: 0` further sends wait for the reset. 400 (with SendGrid's error messages),
/// 401, 403 and 413 are dead.
public struct SendGridChannel: HTTPChannel, RecipientScreening {
    public let settings: DestinationSettings
    public var recipients: [String] { list.ids }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [apiKey] }
    public var rejectedRecipients: [RejectedRecipient] { list.rejected }

    let apiKey: String
    let options: EmailOptions
    let list: EmailRecipientList
    let base: ServiceBase
    let endpoint: ServiceBase?

    static let form = "sendgrid://API_KEY:herald@example.gov.uk"

    /// Parses the settings; throws naming the problem, never the key.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "sendgrid" else { throw ChannelError("not a SendGrid URL (expected \(Self.form))") }
        let (key, from) = try EmailAPISupport.keyAndSender(raw, service: "a SendGrid", form: Self.form)
        guard key.count >= 8, !key.contains(where: { $0.isWhitespace }) else {
            throw ChannelError("the SendGrid API key looks wrong (expected SG.…): \(Self.form)")
        }
        apiKey = key
        try EmailAPISupport.checkOptions(raw, known: ["from", "name", "reply_to", "unsubscribe", "region"], service: "SendGrid")
        options = try EmailOptions(raw, from: from, service: "a SendGrid destination")
        list = try EmailRecipientList(settings, fromURL: raw.pathSegments)
        switch raw.queryValue("region")?.lowercased() {
        case nil, "", "us", "global": base = ServiceBase(scheme: "https", host: "api.sendgrid.com")
        case "eu": base = ServiceBase(scheme: "https", host: "api.eu.sendgrid.com")
        default: throw ChannelError("region= must be us or eu")
        }
        endpoint = try ServiceBase.endpoint(of: settings)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let content = EmailRendering.content(digest, context: context)
        var fields: [(String, JSON)] = [("from", Self.mailbox(options.from))]
        if let replyTo = options.replyTo { fields.append(("reply_to", Self.mailbox(replyTo))) }
        fields.append(("subject", .string(content.subject)))
        fields.append(("content", .array([
            .object([("type", .string("text/plain")), ("value", .string(content.text))]),
            .object([("type", .string("text/html")), ("value", .string(content.html))]),
        ])))
        let payload = JSON.object(fields).data
        return list.ids.map { ChannelMessage(recipient: $0, part: 0, partCount: 1, payload: payload) }
    }

    static func mailbox(_ mailbox: EmailAddress) -> JSON {
        var fields: [(String, JSON)] = [("email", .string(mailbox.address))]
        if let name = mailbox.name, !name.isEmpty { fields.append(("name", .string(name))) }
        return .object(fields)
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard let to = list.mailbox(message.recipient) else {
            throw ChannelError("recipient '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        var personalization: [(String, JSON)] = [
            ("to", .array([Self.mailbox(to)])),
            ("custom_args", .object([("herald_key", .string(key))])),
        ]
        let headers = EmailAPISupport.unsubscribeHeaders(options.unsubscribe(for: to))
        if !headers.isEmpty { personalization.append(("headers", .object(headers.map { ($0.0, .string($0.1)) }))) }
        let body = EmailAPISupport.spliced([("personalizations", .array([.object(personalization)]))], into: message.payload)
        return HTTPRequest(
            method: "POST", url: base.overridden(by: endpoint).url(path: "/v3/mail/send"),
            headers: [HTTPHeader("Authorization", "Bearer " + apiKey), HTTPHeader("Content-Type", "application/json")],
            body: body)
    }

    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let messages = (reply?["errors"] as? [[String: Any]])?.compactMap { error -> String? in
            guard let text = error["message"] as? String else { return nil }
            return (error["field"] as? String).map { "\($0): \(text)" } ?? text
        }
        let remoteID = response.header("X-Message-Id")
        return ResponseRules.verdict(
            response, now: now, remoteID: remoteID, serviceError: messages?.joined(separator: "; "),
            serviceDelay: response.status == 429 ? EmailAPISupport.resetDelay(response, header: "X-RateLimit-Reset", now: now) : nil,
            scrub: scrub)
    }

    /// After a success that emptied the bucket (`X-RateLimit-Remaining: 0`), wait until the reset.
    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? {
        guard response.header("X-RateLimit-Remaining")?.trimmingCharacters(in: .whitespaces) == "0" else { return nil }
        return EmailAPISupport.resetDelay(response, header: "X-RateLimit-Reset", now: now)
    }
}
