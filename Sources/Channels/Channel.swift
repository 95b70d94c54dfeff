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

    /// Creates settings.
    public init(name: String, url: String, endpoint: String? = nil, secret: String? = nil, recipients: [String] = []) {
        self.name = name
        self.url = url
        self.endpoint = endpoint
        self.secret = secret
        self.recipients = recipients
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

    /// Creates a context.
    public init(job: String, logicalTime: Date, runID: String) {
        self.job = job
        self.logicalTime = logicalTime
        self.runID = runID
    }
}

/// What one send attempt knows.
public struct RequestContext: Sendable, Hashable {
    /// The time of this attempt (Standard Webhooks `webhook-timestamp` changes on every attempt).
    public var now: Date

    /// Creates a context.
    public init(now: Date = Date()) {
        self.now = now
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
/// limits, builds the exact HTTP request for each, and says what a reply means.
///
/// Pure: no I/O. Concrete types are created from ``DestinationSettings`` by their `init(_:)` or by
/// ``ChannelRegistry/channel(for:)``.
public protocol Channel: Sendable {
    /// The settings the channel was made from.
    var settings: DestinationSettings { get }
    /// Every recipient, one delivery each (per part).
    var recipients: [String] { get }
    /// Whether the service recognises a repeated delivery key (Standard Webhooks `webhook-id`,
    /// Matrix txnId), so a request whose outcome is unknown may safely be sent again.
    var deduplicatesByKey: Bool { get }
    /// The credentials in the settings (tokens, passwords, signing secrets), for scrubbing text.
    var secrets: [String] { get }

    /// The messages for `digest`: for every recipient, its parts in order. Empty for an empty digest.
    func render(_ digest: Digest, context: RenderContext) -> [ChannelMessage]
    /// The exact request for `message`; `key` is the delivery's idempotency key (letters, digits, `_`, `-`).
    /// Throws when the message's recipient is no longer configured.
    func request(for message: ChannelMessage, key: String, context: RequestContext) throws(ChannelError) -> HTTPRequest
    /// What `response`, received at `now`, means.
    func classify(_ response: HTTPResponse, at now: Date) -> DeliveryVerdict
    /// What a transport error means; `requestMayHaveBeenSent` is false only when nothing can have left
    /// (DNS, connection refused, TLS handshake).
    func classify(transportError: String, requestMayHaveBeenSent: Bool) -> DeliveryVerdict
    /// After a successful send, how long to wait before the next send to this destination, when the
    /// service's rate-limit headers say the bucket is empty; nil when there is no need to wait.
    func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval?
    /// `request` with tokens in the URL, `Authorization` and other credential headers replaced by `****`,
    /// for `herald preview --format json`.
    func redacted(_ request: HTTPRequest) -> HTTPRequest
}

extension Channel {
    /// What `response` means, received now.
    public func classify(_ response: HTTPResponse) -> DeliveryVerdict {
        classify(response, at: Date())
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

    /// No pacing by default.
    public func pacing(after response: HTTPResponse, at now: Date) -> TimeInterval? { nil }

    /// Replaces every secret of this channel in `text` with `****`.
    public func scrub(_ text: String) -> String {
        Redaction.scrub(text, secrets: secrets)
    }

    /// See ``Channel/redacted(_:)``.
    public func redacted(_ request: HTTPRequest) -> HTTPRequest {
        Redaction.redact(request, secrets: secrets)
    }
}

/// Makes the channel for a destination from its URL's scheme (or, for raw `https://` URLs, its host).
public enum ChannelRegistry {
    /// The schemes Herald sends to over HTTP, e.g. `slack`, `jsons`.
    public static let schemes: [String] = ["json", "jsons", "slack", "discord", "teams", "workflow", "workflows",
                                           "tgram", "matrix", "matrixs"]

    /// The channel for `settings`; throws (without repeating credentials) when the URL is unusable.
    public static func channel(for settings: DestinationSettings) throws(ChannelError) -> any Channel {
        guard let range = settings.url.range(of: "://") else {
            throw ChannelError("not a service URL (expected scheme://…)")
        }
        let scheme = settings.url[..<range.lowerBound].lowercased()
        switch scheme {
        case "json", "jsons": return try WebhookChannel(settings)
        case "slack": return try SlackChannel(settings)
        case "discord": return try DiscordChannel(settings)
        case "teams", "workflow", "workflows": return try TeamsChannel(settings)
        case "tgram": return try TelegramChannel(settings)
        case "matrix", "matrixs": return try MatrixChannel(settings)
        case "http", "https":
            if SlackChannel.recognises(settings.url) { return try SlackChannel(settings) }
            if DiscordChannel.recognises(settings.url) { return try DiscordChannel(settings) }
            if TeamsChannel.recognises(settings.url) { return try TeamsChannel(settings) }
            throw ChannelError("\(scheme):// URLs are accepted for Slack, Discord and Teams workflow webhooks only; "
                + "use jsons://host/path (or json://) for a generic webhook")
        default:
            throw ChannelError("unknown destination type '\(scheme)://' (supported: "
                + schemes.map { "\($0)://" }.joined(separator: ", ") + ")")
        }
    }
}
