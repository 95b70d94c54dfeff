import CurlKit
import Foundation
import ReportKit

/// Email over SMTP through libcurl, on the shared multi loop:
/// `smtps://user:password@host[:465]?from=herald@example.gov.uk` (TLS from the first byte) or
/// `smtp://user:password@host:587?from=…&starttls=required` (STARTTLS: `required`, the default,
/// fails rather than send in clear; `opportunistic` upgrades when offered; `none` is for internal
/// relays only). Without a port libcurl uses 25 (smtp) or 465 (smtps). A path (`smtp://host/client.example`)
/// is the EHLO name. `user:password@` is SMTP AUTH (percent-encode `@`, `:` and `/` in them).
///
/// Query options: `from=`, `name=`, `reply_to=`, `unsubscribe=` (see ``EmailOptions``). Recipients come
/// from `to:` or `recipients_file:`, one delivery each; invalid entries are skipped and listed in
/// ``rejectedRecipients``. `endpoint:` replaces the server (`smtp://127.0.0.1:2525`).
///
/// Each message is ``MIMEMessage``: the shared part rendered once per digest is the payload; per
/// recipient only the envelope headers differ. `Message-ID` is `<key@from-domain>`, the same on every
/// attempt.
///
/// Outcomes: 2xx sent (remote id: the queue id of a `… queued as ID` reply); a 4xx reply at any stage
/// (421, 450, 451, 452) retry, since the server has said it did not take the message; 530/534/535 dead
/// (credentials); other 5xx dead. Without a reply: failures before the whole message was handed over
/// retry (nothing can have been delivered); a connection cut after the message was handed over (DATA
/// ended, no final reply) is `unknown`, because SMTP has no idempotency and a resend may duplicate the
/// mail: the operator decides, and a resend keeps the same Message-ID so clients and filters can
/// recognise the copy.
public struct SMTPChannel: Channel, RecipientScreening {
    public let settings: DestinationSettings
    public var recipients: [String] { list.ids }
    public var deduplicatesByKey: Bool { false }
    public let secrets: [String]
    public var rejectedRecipients: [RejectedRecipient] { list.rejected }

    let list: EmailRecipientList
    let options: EmailOptions
    /// `smtp(s)://host[:port][/ehlo]`, without credentials: what libcurl connects to.
    let serverURL: String
    let starttls: MailTransfer.StartTLS
    let username: String?
    let password: String?

    /// Parses the settings; throws naming the problem, never the password.
    public init(_ settings: DestinationSettings) throws(ChannelError) {
        self.settings = settings
        let raw = try RawServiceURL(settings.url)
        guard raw.scheme == "smtp" || raw.scheme == "smtps" else {
            throw ChannelError("not an SMTP URL (expected smtp://host:587?from=… or smtps://host:465?from=…)")
        }
        let (user, password, hostPort) = raw.userInfoAndHost
        username = (user?.isEmpty ?? true) ? nil : user
        self.password = (password?.isEmpty ?? true) ? nil : password
        secrets = self.password.map { [$0] } ?? []
        if self.password != nil && username == nil { throw ChannelError("SMTP AUTH needs a user name before the password") }
        var (host, port) = try RawServiceURL.hostAndPort(hostPort, what: "the SMTP URL")
        var scheme = raw.scheme
        if let endpoint = settings.endpoint?.trimmingCharacters(in: .whitespaces), !endpoint.isEmpty {
            (scheme, host, port) = try Self.endpoint(endpoint)
        }
        let ehlo = raw.pathSegments.first.map { "/" + Percent.encode($0) } ?? ""
        serverURL = "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)" + (port.map { ":\($0)" } ?? "") + ehlo

        switch raw.queryValue("starttls")?.lowercased() {
        case nil, "", "required", "yes": starttls = .required
        case "opportunistic", "try": starttls = .opportunistic
        case "none", "no": starttls = .none
        default: throw ChannelError("starttls= must be required, opportunistic or none")
        }
        if scheme == "smtp", starttls != .required, self.password != nil, !Self.isLoopback(host) {
            // Refuse to configure a password that could cross the network in clear text.
            throw ChannelError("SMTP AUTH over smtp:// needs starttls=required (or use smtps://) so the password is never sent in clear")
        }
        let known: Set<String> = ["from", "name", "reply_to", "unsubscribe", "starttls"]
        if let unknown = raw.queryItems.first(where: { !known.contains($0.name.lowercased()) }) {
            throw ChannelError("unknown SMTP option '\(unknown.name)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        options = try EmailOptions(raw, from: nil, service: "an SMTP destination")
        list = try EmailRecipientList(settings)
    }

    static func endpoint(_ text: String) throws(ChannelError) -> (String, String, Int?) {
        let raw = try RawServiceURL(text)
        guard raw.scheme == "smtp" || raw.scheme == "smtps" else {
            throw ChannelError("endpoint: an SMTP destination's endpoint is the server URL, smtp://host:port or smtps://host:port")
        }
        guard !raw.authority.contains("@"), raw.query == nil else {
            throw ChannelError("endpoint: must not hold credentials or a query (they stay in url:)")
        }
        let (host, port) = try RawServiceURL.hostAndPort(raw.authority, what: "endpoint")
        return (raw.scheme, host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage] {
        guard !digest.isEmpty else { return [] }
        // Encoded once; every recipient's message shares these bytes.
        let payload = MIMEMessage.sharedPart(EmailRendering.content(digest, context: context))
        return list.ids.map { ChannelMessage(recipient: $0, part: 0, partCount: 1, payload: payload) }
    }

    /// The SMTP submission for `message`: its envelope headers in front of the shared part.
    public func mailTransfer(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> MailTransfer {
        guard let to = list.mailbox(message.recipient) else {
            throw ChannelError("recipient '\(message.recipient)' is no longer configured for destination '\(settings.name)'")
        }
        let envelope = MIMEMessage.Envelope(
            from: options.from, to: to, replyTo: options.replyTo, key: key, date: context.now,
            unsubscribe: options.unsubscribe(for: to))
        var bytes = MIMEMessage.envelopeHeaders(envelope)
        bytes.append(message.payload)
        return MailTransfer(url: serverURL, starttls: starttls, username: username, password: password,
                            from: options.from.address, recipients: [to.address], message: bytes)
    }

    public func transmission(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> Transmission {
        .mail(try mailTransfer(for: message, key: key, context: context))
    }

    public func send(_ message: ChannelMessage, key: String, context: RequestContext, via transport: any ChannelTransport) async -> SendReport {
        let mail: MailTransfer
        do {
            mail = try mailTransfer(for: message, key: key, context: context)
        } catch {
            return SendReport(verdict: .dead(reason: scrub(error.message)))
        }
        do {
            let receipt = try await transport.send(mail)
            return SendReport(verdict: .sent(remoteID: Self.queueID(receipt.reply)), status: receipt.responseCode,
                              excerpt: scrub(receipt.reply))
        } catch {
            return SendReport(verdict: classify(error), status: error.responseCode, excerpt: scrub(error.message))
        }
    }

    /// What a failed submission means (see the type's documentation).
    public func classify(_ error: CurlError) -> DeliveryVerdict {
        let detail = scrub(error.description)
        if let code = error.responseCode {
            switch code {
            case 400..<500:
                return .retry(after: nil, reason: "SMTP \(code) (temporary refusal; the server did not take the message): \(detail)")
            case 530, 534, 535:
                return .dead(reason: "SMTP \(code) (authentication failed or required: check the user and password): \(detail)")
            case 500..<600:
                return .dead(reason: "SMTP \(code) (refused permanently): \(detail)")
            default:
                break
            }
        }
        if error.curlCode == 67 {   // CURLE_LOGIN_DENIED without a reply code
            return .dead(reason: "SMTP authentication failed: \(detail)")
        }
        return classify(transportError: detail, requestMayHaveBeenSent: error.requestMayHaveBeenSent)
    }

    /// The queue id in a final reply such as `250 2.0.0 Ok: queued as 4F2A1C` (Postfix, aiosmtpd) or
    /// `250 OK id=1tXyZ-0001Ab-2C` (Exim); nil when the reply names none.
    static func queueID(_ reply: String) -> String? {
        for marker in ["queued as ", "id="] {
            if let range = reply.range(of: marker, options: .caseInsensitive) {
                let id = reply[range.upperBound...].prefix { !$0.isWhitespace && $0 != ">" && $0 != "," }
                if !id.isEmpty { return String(id) }
            }
        }
        return nil
    }
}
