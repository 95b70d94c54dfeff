import Foundation

/// One message to one recipient of one destination, for one run: a part of what a run posts.
///
/// There is one `Delivery` per (run, ``destination``, ``recipient``, ``partIndex``), written to the outbox before
/// anything is sent, and identified to services by its ``key``. Its ``payload`` is stored, so a resend after a crash
/// sends exactly the same bytes.
public struct Delivery: Sendable, Hashable, Identifiable {
    /// A delivery's id in its store; stable and never reused. What `herald retry ID` and `herald drop ID` take.
    public typealias ID = StoredID<Delivery>

    /// The delivery's id.
    public let id: ID
    /// The run that produced it.
    public let runID: Run.ID
    /// The run's job.
    public let job: String
    /// The run's logical time.
    public let logicalTime: Date
    /// The destination's name, as configured.
    public let destination: String
    /// The recipient within the destination (an email address, a subscriber URL), or `""` when it has one.
    public let recipient: String
    /// The part's index in its thread, from 0; parts of one (run, destination, recipient) are sent in order.
    public let partIndex: Int
    /// How many parts the thread has.
    public let partCount: Int
    /// The idempotency key sent to services that deduplicate.
    public let key: DeliveryKey
    /// What to send, as the channel rendered it; opaque to the store.
    public let payload: Data
    /// Where the delivery stands.
    public let state: DeliveryState
    /// How many times it was handed to a sender (claimed); crash-interrupted sends count.
    public let attempts: Int
    /// When it may be sent: set while ``DeliveryState/pending`` or ``DeliveryState/retry``, else `nil`.
    public let dueAt: Date?
    /// The instance that last claimed it for sending.
    public let claimedBy: OwnerID?
    /// When it was last claimed for sending.
    public let claimedAt: Date?
    /// The service's id for what was posted (a status id, a message id), once ``DeliveryState/sent``; later parts of
    /// a thread reply to it.
    public let remoteID: String?
    /// The last error (for a retry), the reason (dead, unknown, dropped), or `nil`.
    public let lastError: String?
    /// When it was written to the outbox.
    public let createdAt: Date
    /// When an operator last asked for it to be sent again (``OutboxStore/retry(_:at:)``); a bounded-age rule should
    /// count from this time when it is set, else from ``createdAt``.
    public let requeuedAt: Date?
    /// When it last changed.
    public let updatedAt: Date

    /// The time a bounded-age rule counts from: the operator's last requeue, else the creation.
    public var ageReference: Date { requeuedAt ?? createdAt }

    /// Creates a value; stores do this, and so may test doubles of ``OutboxStore``.
    public init(
        id: ID,
        runID: Run.ID,
        job: String,
        logicalTime: Date,
        destination: String,
        recipient: String,
        partIndex: Int,
        partCount: Int,
        key: DeliveryKey,
        payload: Data,
        state: DeliveryState,
        attempts: Int,
        dueAt: Date?,
        claimedBy: OwnerID?,
        claimedAt: Date?,
        remoteID: String?,
        lastError: String?,
        createdAt: Date,
        requeuedAt: Date?,
        updatedAt: Date
    ) {
        self.id = id
        self.runID = runID
        self.job = job
        self.logicalTime = logicalTime
        self.destination = destination
        self.recipient = recipient
        self.partIndex = partIndex
        self.partCount = partCount
        self.key = key
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.dueAt = dueAt
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.remoteID = remoteID
        self.lastError = lastError
        self.createdAt = createdAt
        self.requeuedAt = requeuedAt
        self.updatedAt = updatedAt
    }
}

/// Where a ``Delivery`` stands.
///
/// ```
/// pending ─claim→ sending ─→ sent | retry (due later; claimed again) | dead | unknown
/// pending, retry, dead, unknown ─drop→ dropped        unknown, dead, dropped, retry ─retry→ pending
/// ```
/// The raw values are what the store persists; never rename them.
public enum DeliveryState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Written, not yet tried; due at once.
    case pending
    /// Claimed by a dispatcher, which is sending it (or was, when it died).
    case sending
    /// The service accepted it; ``Delivery/remoteID`` holds the service's id when it gives one.
    case sent
    /// A try failed in a way worth repeating; due again at ``Delivery/dueAt``.
    case retry
    /// It will not be sent: a permanent error, or too old; ``Delivery/lastError`` says why. An operator may retry it.
    case dead
    /// A request may have reached a service without idempotency, and no answer came; sending again could post
    /// twice, so an operator decides (retry or drop).
    case unknown
    /// An operator decided it should not be sent.
    case dropped

    /// Whether a dispatcher may claim it (when due).
    public var isQueued: Bool { self == .pending || self == .retry }

    /// Whether nothing more happens to it without an operator: sent, dead, unknown or dropped.
    public var isSettled: Bool { self == .sent || self == .dead || self == .unknown || self == .dropped }
}
