import CurlKit
import Foundation
import ReportKit

/// Mailgun: `mailgun://herald@mg.example.gov.uk/API_KEY[/to…]` (Apprise's form: the sender's local part
/// `@` the sending domain, then the key). Options: `region=us|eu`, `name=`, `from=` (a sender other
/// than user@domain), `reply_to=`, `unsubscribe=` (``EmailOptions``). Recipients: the path after the
/// key, `to:` and `recipients_file:`; one delivery (one request) each.
///
/// POST `/v3/DOMAIN/messages`, HTTP Basic `api:KEY`, form fields `to`, `from`, `subject`, `text`,
/// `html`, `h:Reply-To`, `h:List-Unsubscribe`(`-Post`) and `v:herald-key` (the delivery key as a user
/// variable: Mailgun has no idempotency, so it serves only to find duplicates in the logs). 200
/// `{"id":"<…>","message":"Queued. Thank you."}` is success, with `id` as the remote id; 429 and 5xx
/// retry (after `Retry-After` or `X-RateLimit-Reset`); 400, 401, 403, 404 (wrong domain) and 413 dead
/// with Mailgun's `message`.
public struct MailgunChannel: HTTPChannel, RecipientScreening {
    public let settings: DestinationSettings
    public var recipients: [String] { list.ids }
    public var deduplicatesByKey: Bool { false }
    public var secrets: [String] { [apiKey, Data(("api:" + apiKey).utf8).base64EncodedString()] }
    public var rejectedRecipients: [RejectedRecipient] { list.rejected }

    let apiKey: String
    let domain: String
    let options: EmailOptions
    let list: EmailRecipientList
    let base: ServiceBase
    let endpoint: ServiceBase?

    static let form = "mailgun://herald@mg.example.gov.uk/API_KEY"

    /// Parses the settings; throws naming the problem, never the key.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "mailgun" else { throw ChannelError("not a Mailgun URL (expected \(Self.form))") }
        let (user, password, host) = raw.userInfoAndHost
        guard let user, !user.isEmpty, password == nil else {
            throw ChannelError("a Mailgun URL names the sender as user@sending-domain: \(Self.form)")
        }
        let (domainHost, port) = try RawServiceURL.hostAndPort(host, what: "the Mailgun sending domain")
        guard port == nil else { throw ChannelError("the Mailgun sending domain takes no port") }
        domain = domainHost.lowercased()
        var segments = raw.pathSegments
        guard !segments.isEmpty, segments[0].count >= 8 else {
            throw ChannelError("a Mailgun URL needs the API key after the domain: \(Self.form)")
        }
        apiKey = segments.removeFirst()
        try EmailAPISupport.checkOptions(raw, known: ["from", "name", "reply_to", "unsubscribe", "region"], service: "Mailgun")
        options = try EmailOptions(raw, from: user + "@" + domain, service: "a Mailgun destination")
        list = try EmailRecipientList(settings, fromURL: segments)
        switch raw.queryValue("region")?.lowercased() {
        case nil, "", "us": base = ServiceBase(scheme: "https", host: "api.mailgun.net")
        case "eu": base = ServiceBase(scheme: "https", host: "api.eu.mailgun.net")
        default: throw ChannelError("region= must be us or eu")
        }
        endpoint = try ServiceBase.endpoint(of: settings)
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        let content = EmailRendering.content(digest, context: context)
        var fields = [
            ("from", EmailAPISupport.displayForm(options.from)),
            ("subject", content.subject),
            ("text", content.text),
            ("html", content.html),
        ]
        if let replyTo = options.replyTo { fields.append(("h:Reply-To", EmailAPISupport.displayForm(replyTo))) }
        let payload = Data(EmailAPISupport.form(fields).utf8)
        return list.ids.map { ChannelMessage(recipient: $0, part: 0, partCount: 1, payload: payload) }
    }

    public func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest {
        guard let to = list.mailbox(message.recipient) else {
            throw ChannelError("recipient '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        var head = [("to", EmailAPISupport.displayForm(to)), ("v:herald-key", key)]
        head += EmailAPISupport.unsubscribeHeaders(options.unsubscribe(for: to)).map { ("h:" + $0.0, $0.1) }
        var body = Data((EmailAPISupport.form(head) + "&").utf8)
        body.append(message.payload)
        let credentials = Data(("api:" + apiKey).utf8).base64EncodedString()
        return HTTPRequest(
            method: "POST", url: base.overridden(by: endpoint).url(path: "/v3/\(Percent.encode(domain))/messages"),
            headers: [HTTPHeader("Authorization", "Basic " + credentials),
                      HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
            body: body)
    }

    public func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict {
        let reply = JSONReply.object(response.body)
        let remoteID = (reply?["id"] as? String).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<>")) }
        return ResponseRules.verdict(
            response, now: now, remoteID: remoteID, serviceError: reply?["message"] as? String,
            serviceDelay: response.status == 429 ? EmailAPISupport.resetDelay(response, header: "X-RateLimit-Reset", now: now) : nil,
            scrub: scrub)
    }
}
