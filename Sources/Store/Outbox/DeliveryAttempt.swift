import Foundation

/// What a dispatcher observed of one send, beyond its outcome: recorded in the attempts log as given.
public struct AttemptReport: Sendable, Hashable {
    /// The HTTP status (or SMTP reply code) of the reply, if one came.
    public var status: Int?
    /// An excerpt of the reply, already redacted by the caller and at most 500 bytes; the store keeps it as given.
    public var responseExcerpt: String?

    /// Creates a report.
    public init(status: Int? = nil, responseExcerpt: String? = nil) {
        self.status = status
        self.responseExcerpt = responseExcerpt
    }
}

/// One entry of a delivery's attempts log: a send and how it ended, or a send cut short by a crash.
public struct DeliveryAttempt: Sendable, Hashable, Identifiable {
    /// An entry's id in its store; ids grow with time.
    public typealias ID = StoredID<DeliveryAttempt>

    /// The entry's id.
    public let id: ID
    /// The delivery tried.
    public let deliveryID: Delivery.ID
    /// The instance that made (or, for a recovered send, recovered) the attempt.
    public let owner: OwnerID
    /// When the delivery was claimed for this attempt, if known.
    public let startedAt: Date?
    /// When the outcome was recorded.
    public let finishedAt: Date
    /// The state the attempt led to (`sent`, `retry`, `dead` or `unknown`). When the delivery had meanwhile moved
    /// on (see ``DeliveryTransition/refused(_:)``), this is still what the attempt reported.
    public let outcome: DeliveryState
    /// The HTTP status (or SMTP reply code), if a reply came.
    public let status: Int?
    /// The error or reason, if any.
    public let error: String?
    /// The redacted excerpt of the reply, as given.
    public let responseExcerpt: String?

    /// Creates a value; stores do this, and so may test doubles of ``OutboxStore``.
    public init(
        id: ID,
        deliveryID: Delivery.ID,
        owner: OwnerID,
        startedAt: Date?,
        finishedAt: Date,
        outcome: DeliveryState,
        status: Int?,
        error: String?,
        responseExcerpt: String?
    ) {
        self.id = id
        self.deliveryID = deliveryID
        self.owner = owner
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.status = status
        self.error = error
        self.responseExcerpt = responseExcerpt
    }
}

/// What a state change of one delivery did.
public enum DeliveryTransition: Sendable, Hashable {
    /// The change was made; the delivery as it now stands.
    case applied(Delivery)
    /// The delivery's state does not allow the change (it moved on: another instance recovered it, an operator
    /// acted, it was already sent); nothing changed but the attempts log. The delivery as it stands.
    case refused(Delivery)
    /// No delivery has this id.
    case notFound

    /// The delivery as it now stands, if it exists.
    public var delivery: Delivery? {
        switch self {
        case .applied(let delivery), .refused(let delivery): delivery
        case .notFound: nil
        }
    }

    /// Whether the change was made.
    public var isApplied: Bool {
        if case .applied = self { return true }
        return false
    }
}

/// How one send ended, for recording several at once with ``OutboxStore/settle(_:owner:at:)``.
public struct SendOutcome: Sendable, Hashable {
    /// The state the send leads to, with what that state records.
    public enum Result: Sendable, Hashable {
        /// As ``OutboxStore/markSent(_:owner:remoteID:report:at:)``.
        case sent(remoteID: String?)
        /// As ``OutboxStore/markRetry(_:owner:due:error:report:at:)``.
        case retry(due: Date, error: String)
        /// As ``OutboxStore/markDead(_:owner:reason:report:at:)``.
        case dead(reason: String)
        /// As ``OutboxStore/markUnknown(_:owner:reason:report:at:)``.
        case unknown(reason: String)
    }

    /// The delivery sent.
    public var id: Delivery.ID
    /// How the send ended.
    public var result: Result
    /// What was observed of the reply.
    public var report: AttemptReport

    /// Creates an outcome.
    public init(_ id: Delivery.ID, _ result: Result, report: AttemptReport = AttemptReport()) {
        self.id = id
        self.result = result
        self.report = report
    }
}
