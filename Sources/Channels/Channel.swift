import CurlKit
import Foundation
import ReportKit

/// A destination as configured: a name, its Apprise-style service URL and optional keys.
///
/// Plain and `Sendable`; holds secrets (the URL, `secret`), so never log it: use a channel's
/// ``Channel/scrub(_:)`` or ``Channel/redacted(_:)`` for anything shown.
public struct DestinationSettings: Sendable, Hashable {
    /// The name jobs refer to, e.g. `comms-slack`.
    public var name: String
    /// The service URL with substitutions applied, e.g. `slack://T000/B000/XXXX`.
    public var url: String
    /// A replacement API base (scheme, host, port and optional path prefix), e.g. `http://127.0.0.1:8080/proxy`.
    public var endpoint: String?
    /// The signing secret (generic webhooks: `whsec_…`).
    public var secret: String?
    /// Extra recipients (`to:`), in the channel's own form: subscriber URLs for webhooks, chat ids for
    /// Telegram, room ids for Matrix. Channels bound to one target (Slack, Discord, Teams) take none.
    public var recipients: [String]
    /// Where each of ``recipients`` was written (`etc/stakeholders.txt:12`), in the same order, so a channel
    /// that rejects one can say where it is; empty when unknown.
    public var recipientPositions: [String]

    /// Creates settings.
    public init(name: String, url: String, endpoint: String? = nil, secret: String? = nil, recipients: [String] = [],
                recipientPositions: [String] = []) {
        self.name = name
        self.url = url
        self.endpoint = endpoint
        self.secret = secret
        self.recipients = recipients
        self.recipientPositions = recipientPositions
    }

    /// Where recipient `index` was written, or a description by index when unknown.
    public func position(ofRecipient index: Int) -> String {
        recipientPositions.indices.contains(index) ? recipientPositions[index] : "to[\(index)]"
    }
}

/// What a run knows when a digest is rendered. The payload depends on these only, so rendering the
/// same run twice gives the same bytes.
public struct RenderContext: Sendable, Hashable {
    /// The job's name.
    public var job: String
    /// The run's logical time.
    public var logicalTime: Date
    /// The run's identifier, as the store writes it.
    public var runID: String
    /// The job's own templates for email parts (`email_template_html:`/`email_template_text:`), already
    /// read; nil for the built-in layouts. Channels other than email ignore them.
    public var templates: MessageTemplates?

    /// Creates a context.
    public init(job: String, logicalTime: Date, runID: String, templates: MessageTemplates? = nil) {
        self.job = job
        self.logicalTime = logicalTime
        self.runID = runID
        self.templates = templates
    }
}

/// What one send attempt knows.
public struct RequestContext: Sendable {
    /// The time of this attempt (Standard Webhooks `webhook-timestamp` changes on every attempt).
    public var now: Date
    /// For a later part of a thread: the service's id of the part before it (a reply goes under it).
    public var previousRemoteID: String?
    /// For a later part of a thread: the service's id of the thread's first part.
    public var rootRemoteID: String?
    /// Where a channel that logs in (Bluesky) keeps its session between sends and restarts; nil when sends
    /// must log in afresh.
    public var sessions: (any ChannelSessionStore)?
    /// Which attempt this is, from 1: a later attempt of a send whose outcome was lost may first look for what
    /// the earlier one created (Bluesky).
    public var attempt: Int

    /// Creates a context.
    public init(now: Date = Date(), previousRemoteID: String? = nil, rootRemoteID: String? = nil,
                sessions: (any ChannelSessionStore)? = nil, attempt: Int = 1) {
        self.now = now
        self.previousRemoteID = previousRemoteID
        self.rootRemoteID = rootRemoteID
        self.sessions = sessions
        self.attempt = attempt
    }
}

/// One message to store in the outbox and send: one delivery.
public struct ChannelMessage: Sendable, Hashable, Codable {
    /// Who receives it, in the channel's form (a subscriber, a chat id, a room id, or the single
    /// target's non-secret identifier). Never a secret: safe to store and show.
    public var recipient: String
    /// The part's position, from 0, among the parts for this recipient; parts go in order.
    public var part: Int
    /// How many parts this recipient gets.
    public var partCount: Int
    /// The exact body bytes to send (a signed body must never be re-serialised).
    public var payload: Data

    /// Creates a message.
    public init(recipient: String, part: Int, partCount: Int, payload: Data) {
        self.recipient = recipient
        self.part = part
        self.partCount = partCount
        self.payload = payload
    }
}

/// What the outcome of one attempt means for its delivery.
public enum DeliveryVerdict: Sendable, Hashable {
    /// Delivered; the service's id of the message when it gives one.
    case sent(remoteID: String?)
    /// Try again: after the service's own delay when it named one (seconds), else on the backoff schedule.
    case retry(after: TimeInterval?, reason: String)
    /// Permanent failure (bad request, bad credentials, destination gone): do not retry.
    case dead(reason: String)
    /// The request may have arrived but no answer came, and the service cannot deduplicate:
    /// do not resend blindly; show it to the operator.
    case unknown(reason: String)
}

/// A destination that cannot be used, or a message that cannot be sent, and why.
/// The message never repeats a token or secret.
public struct ChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// A destination type: parses its URL form, renders a digest into messages within the service's
/// limits, says exactly what each message puts on the wire, and sends it.
///
/// Rendering and ``transmission(for:key:context:)`` are pure. Concrete types are created from
/// ``DestinationSettings`` by their `init(_:)` or by ``ChannelRegistry/channel(for:)``. Channels that speak
/// HTTP adopt ``HTTPChannel``, which supplies ``send(_:key:context:via:)``.
public protocol Channel: Sendable {
    /// The settings the channel was made from.
    var settings: DestinationSettings { get }
    /// Every recipient, one delivery each (per part).
    var recipients: [String] { get }
    /// Whether the service recognises a repeated delivery key (Standard Webhooks `webhook-id`,
    /// Matrix txnId, Mastodon `Idempotency-Key`), so a request whose outcome is unknown may safely be sent again.
    var deduplicatesByKey: Bool { get }
    /// The credentials in the settings (tokens, passwords, signing secrets), for scrubbing text.
    var secrets: [String] { get }

    /// The messages for `digest`: for every recipient, its parts in order. Empty for an empty digest.
    func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage]
    /// Exactly what sending `message` puts on the wire; `key` is the delivery's idempotency key (letters,
    /// digits, `_`, `-`). Throws when the message's recipient is no longer configured.
    func transmission(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> Transmission
    /// Sends `message` once and says what came of it; never throws (a failure is a verdict).
    func send(_ message: ChannelMessage, key: String, context: RequestContext, via transport: any ChannelTransport) async -> SendReport
    /// `transmission` with tokens in URLs, credential headers and passwords replaced by `****`, for
    /// `herald preview --format json`.
    func redacted(_ transmission: Transmission) -> Transmission
    /// Whether ``calibrated(via:)`` asks the service for its limits (Mastodon instances set their own), so a run
    /// should call it before rendering.
    var learnsLimits: Bool { get }
    /// A copy that renders within the limits the service states now; itself when they cannot be read.
    func calibrated(via transport: any ChannelTransport) async -> any Channel
}

extension Channel {
    /// Most services publish fixed limits.
    public var learnsLimits: Bool { false }

    /// Most services publish fixed limits: the channel itself.
    public func calibrated(via transport: any ChannelTransport) async -> any Channel { self }

    /// Replaces every secret of this channel in `text` with `****`.
    public func scrub(_ text: String) -> String {
        Redaction.scrub(text, secrets: secrets)
    }

    /// See ``Channel/redacted(_:)``.
    public func redacted(_ transmission: Transmission) -> Transmission {
        switch transmission {
        case .http(let request):
            return .http(Redaction.redact(request, secrets: secrets))
        case .mail(var mail):
            if mail.password != nil { mail.password = Redaction.mask }
            mail.url = Redaction.redactURL(mail.url, secrets: secrets)
            mail.message = Data(scrub(String(decoding: mail.message, as: UTF8.self)).utf8)
            return .mail(mail)
        case .file(let path, let contents):
            return .file(path: path, contents: Data(scrub(String(decoding: contents, as: UTF8.self)).utf8))
        }
    }

    /// Before sending: retry. After: retry only where the service deduplicates, else unknown.
    public func classify(transportError: String, requestMayHaveBeenSent: Bool) -> DeliveryVerdict {
        let reason = scrub(transportError)
        if !requestMayHaveBeenSent { return .retry(after: nil, reason: "not sent: \(reason)") }
        if deduplicatesByKey {
            return .retry(after: nil, reason: "no reply (the service deduplicates by key, so it is safe to resend): \(reason)")
        }
        return .unknown(reason: "the request may have arrived but no reply came, and the service cannot deduplicate: \(reason)")
    }
}

/// A channel whose every message is one HTTP request: it builds the request and reads the reply, and
/// gets ``Channel/send(_:key:context:via:)`` from here.
public protocol HTTPChannel: Channel {
    /// The exact request for `message`; `key` is the delivery's idempotency key.
    /// Throws when the message's recipient is no longer configured.
    func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest
    /// What `response`, received at `now`, means.
    func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict
    /// After a successful send, how long to wait before the next send to this destination, when the
    /// service's rate-limit headers say the bucket is empty; nil when there is no need to wait.
    func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval?
}

extension HTTPChannel {
    /// What `response` means, received now.
    public func classify(_ response: HTTPResponse) -> DeliveryVerdict {
        classify(response, at: Date())
    }

    /// No pacing by default.
    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? { nil }

    /// `request` with credentials replaced by `****`.
    public func redacted(_ request: HTTPRequest) -> HTTPRequest {
        Redaction.redact(request, secrets: secrets)
    }

    public func transmission(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> Transmission {
        .http(try request(for: message, key: key, context: context))
    }

    /// Builds the request, executes it, and classifies the reply or the transport error.
    public func send(_ message: ChannelMessage, key: String, context: RequestContext, via transport: any ChannelTransport) async -> SendReport {
        let request: HTTPRequest
        do {
            request = try self.request(for: message, key: key, context: context)
        } catch {
            return SendReport(verdict: .dead(reason: scrub(error.message)))
        }
        do {
            let response = try await deduplicatesByKey ? transport.execute(request) : transport.executeOnce(request)
            let now = Date()
            let verdict = classify(response, at: now)
            var pacing: TimeInterval?
            switch verdict {
            case .sent: pacing = self.pacing(after: response, at: now)
            case .retry(let after, _): pacing = after
            case .dead, .unknown: pacing = nil
            }
            return SendReport(verdict: verdict, status: response.status,
                              excerpt: scrub(ResponseRules.excerpt(response.body)), pacing: pacing)
        } catch {
            return SendReport(verdict: classify(transportError: error.description, requestMayHaveBeenSent: error.requestMayHaveBeenSent))
        }
    }
}
