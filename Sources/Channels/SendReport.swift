import Foundation

/// What one send attempt came to: the verdict for the delivery, and what the dispatcher records and obeys.
public struct SendReport: Sendable, Hashable {
    /// What the outcome means for the delivery.
    public var verdict: DeliveryVerdict
    /// The reply's status (HTTP status or SMTP reply code), when a reply came.
    public var status: Int?
    /// A short excerpt of the reply with this channel's secrets scrubbed, for the attempts log.
    public var excerpt: String?
    /// How long to hold further sends to this destination, when the service said its bucket is empty
    /// (after a success) or asked for a pause; nil for no hold.
    public var pacing: TimeInterval?

    /// Creates a report.
    public init(verdict: DeliveryVerdict, status: Int? = nil, excerpt: String? = nil, pacing: TimeInterval? = nil) {
        self.verdict = verdict
        self.status = status
        self.excerpt = excerpt
        self.pacing = pacing
    }
}
