import Foundation

/// A delivery to write to the outbox: what a channel rendered for one recipient and part of one run.
///
/// The run supplies the job and logical time; the store derives the ``DeliveryKey`` from them and these fields. A
/// channel that must embed the key in the payload (an email's Message-ID, say) derives the same key itself with
/// ``DeliveryKey/derive(job:logicalTime:destination:recipient:part:)``.
public struct NewDelivery: Sendable, Hashable {
    /// The destination's name.
    public let destination: String
    /// The recipient within the destination, or `""` when it has one.
    public let recipient: String
    /// The part's index in its thread, from 0.
    public let partIndex: Int
    /// How many parts the thread has.
    public let partCount: Int
    /// What to send.
    public let payload: Data

    /// Creates a delivery to write.
    ///
    /// - Precondition: `0 <= partIndex < partCount`.
    public init(destination: String, recipient: String = "", partIndex: Int = 0, partCount: Int = 1, payload: Data) {
        precondition(partIndex >= 0 && partIndex < partCount, "part \(partIndex) of \(partCount) is out of range")
        self.destination = destination
        self.recipient = recipient
        self.partIndex = partIndex
        self.partCount = partCount
        self.payload = payload
    }

    /// The key this delivery gets when written for a run of `job` at `logicalTime`.
    public func key(job: String, logicalTime: Date) -> DeliveryKey {
        DeliveryKey.derive(
            job: job, logicalTime: logicalTime, destination: destination, recipient: recipient, part: partIndex
        )
    }
}

/// What writing deliveries to the outbox did.
public struct EnqueueResult: Sendable, Hashable {
    /// The deliveries this call wrote, in the order given.
    public let inserted: [Delivery]
    /// The deliveries whose key was already in the outbox (from an earlier run of the same logical time, or earlier
    /// in the same list), as stored, in any state; they were left as they were.
    public let existing: [Delivery]

    /// Creates a value; stores do this, and so may test doubles of ``OutboxStore``.
    public init(inserted: [Delivery], existing: [Delivery]) {
        self.inserted = inserted
        self.existing = existing
    }
}

/// A run finished together with writing its deliveries, by
/// ``OutboxStore/finishRun(_:owner:outcome:enqueuing:at:)``.
public struct FinishedRun: Sendable, Hashable {
    /// The run as finished.
    public let run: Run
    /// The deliveries written.
    public let enqueued: EnqueueResult

    /// Creates a value; stores do this, and so may test doubles of ``OutboxStore``.
    public init(run: Run, enqueued: EnqueueResult) {
        self.run = run
        self.enqueued = enqueued
    }
}
