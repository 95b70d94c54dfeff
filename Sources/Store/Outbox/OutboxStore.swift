import Foundation

/// The durable outbox: every delivery is written here before it is sent, claimed by one dispatcher at a time, and
/// settled with its outcome; every attempt is logged; rate limits survive restarts.
///
/// ``SQLiteStore`` is the embedded implementation. Every method is atomic on its own, and every time is passed in
/// by the caller, never read from the system.
///
/// The lifecycle of a delivery (see ``DeliveryState``):
/// - ``finishRun(_:owner:outcome:enqueuing:at:)`` (or ``enqueue(_:run:at:)``) writes it `pending`, once per key.
/// - ``claimDue(owner:now:limit:excludingDestinations:)`` hands it to one dispatcher, `sending`, one more attempt.
/// - The dispatcher settles it: ``markSent(_:owner:remoteID:report:at:)``,
///   ``markRetry(_:owner:due:error:report:at:)``, ``markDead(_:owner:reason:report:at:)`` or
///   ``markUnknown(_:owner:reason:report:at:)``, or many at once with ``settle(_:owner:at:)``; each also writes the
///   attempts log.
/// - At start-up, ``recoverInFlight(owner:idempotentDestinations:policy:at:)`` settles the sends a crash cut short.
/// - Operators use ``retry(_:at:)`` and ``drop(_:reason:at:)``.
public protocol OutboxStore: Sendable {
    // MARK: Writing deliveries

    /// Finishes a run and writes its deliveries in one transaction: either both happen or neither does.
    ///
    /// The run is finished exactly as by ``RunStore/finishRun(_:owner:outcome:at:)``, with the same checks and errors;
    /// the deliveries are written as by ``enqueue(_:run:at:)``.
    func finishRun(
        _ id: Run.ID,
        owner: OwnerID,
        outcome: RunOutcome,
        enqueuing deliveries: [NewDelivery],
        at now: Date
    ) async throws -> FinishedRun

    /// Writes a run's deliveries, `pending` and due at `now`, keyed by the run's job and logical time.
    ///
    /// Idempotent: a delivery whose key is already in the outbox is left exactly as it is (state, payload and all),
    /// so running a logical time again never duplicates a post.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/runNotFound`` for an unknown run.
    func enqueue(_ deliveries: [NewDelivery], run: Run.ID, at now: Date) async throws -> EnqueueResult

    // MARK: Dispatching

    /// Claims up to `limit` due deliveries for `owner` to send: each becomes `sending`, with one more attempt.
    ///
    /// A delivery is due when it is `pending` or `retry` with its due time at or before `now`. The earliest due go
    /// first (then the oldest). A part is not due until every earlier part of its thread (same run, destination and
    /// recipient) is `sent` or `dropped`. Of concurrent callers, in any number of processes sharing the store, each
    /// delivery goes to exactly one.
    ///
    /// - Parameters:
    ///   - excludingDestinations: Destinations not to claim for now (rate-limited, or at their concurrency limit).
    ///   - run: Only this run's deliveries (`herald trigger` sends its own run's and no others); nil for all.
    func claimDue(
        owner: OwnerID,
        now: Date,
        limit: Int,
        excludingDestinations: Set<String>,
        run: Run.ID?
    ) async throws -> [Delivery]

    /// Records `outcomes` exactly as ``record(_:owner:at:)`` does, then claims exactly as
    /// ``claimDue(owner:now:limit:excludingDestinations:run:)`` does, in one transaction: a dispatcher's turn costs one
    /// commit rather than two. Either both happen or neither does.
    func recordAndClaim(
        _ outcomes: [SendOutcome],
        owner: OwnerID,
        now: Date,
        limit: Int,
        excludingDestinations: Set<String>,
        run: Run.ID?
    ) async throws -> [Delivery]

    /// The earliest due time among queued deliveries (of `run`, when given) that are not waiting for an earlier
    /// part, or `nil` when none is queued: when a dispatcher with nothing due should look again.
    func nextDueTime(excludingDestinations: Set<String>, run: Run.ID?) async throws -> Date?

    /// Records several sends' outcomes in one transaction, each as the matching `mark…` method describes; for a
    /// dispatcher that batches its bookkeeping (one commit per batch rather than per send).
    ///
    /// - Returns: One transition per outcome, in the order given.
    @discardableResult
    func settle(_ outcomes: [SendOutcome], owner: OwnerID, at now: Date) async throws -> [DeliveryTransition]

    /// Records several sends' outcomes in one transaction exactly as ``settle(_:owner:at:)`` does (the same rules,
    /// the same attempts log), without reading the deliveries back: for a dispatcher, which only needs them recorded.
    ///
    /// - Returns: How many were applied; the rest were refused or had no delivery.
    @discardableResult
    func record(_ outcomes: [SendOutcome], owner: OwnerID, at now: Date) async throws -> Int

    /// Settles the sends that other instances left `sending` when they died; call at start-up, then now and then.
    ///
    /// A claim is abandoned when its owner is not alive or the claim is older than the lease, per `policy` (choose a
    /// lease longer than any request may take). Each abandoned delivery becomes `retry`, due at `now`, when its
    /// destination is in `idempotentDestinations` (the service deduplicates by key, so the same request may go
    /// again), else `unknown`. Each gets an attempts-log entry. Claims of `owner` itself are never touched.
    ///
    /// - Returns: The deliveries recovered, as they now stand.
    func recoverInFlight(
        owner: OwnerID,
        idempotentDestinations: Set<String>,
        policy: ReclaimPolicy,
        at now: Date
    ) async throws -> [Delivery]

    // MARK: Operator actions

    /// Queues the delivery again, due at `now` (`herald retry ID`): from `unknown`, `dead`, `dropped` or `retry`.
    /// Its ``Delivery/requeuedAt`` becomes `now`, so a bounded-age rule starts afresh.
    func retry(_ id: Delivery.ID, at now: Date) async throws -> DeliveryTransition

    /// Drops the delivery (`herald drop ID`): from `pending`, `retry`, `dead` or `unknown`. A dropped part no longer
    /// holds back the later parts of its thread.
    func drop(_ id: Delivery.ID, reason: String?, at now: Date) async throws -> DeliveryTransition

    // MARK: Reading

    /// The delivery with this id.
    func delivery(_ id: Delivery.ID) async throws -> Delivery?

    /// The delivery with this key.
    func delivery(key: DeliveryKey) async throws -> Delivery?

    /// Deliveries in one state (or all), most recently changed first.
    func deliveries(state: DeliveryState?, limit: Int) async throws -> [Delivery]

    /// A run's deliveries, by destination, recipient and part.
    func deliveries(run: Run.ID) async throws -> [Delivery]

    /// Whether any of a run's deliveries is queued (`pending` or `retry`), due or not.
    func hasQueuedDeliveries(run: Run.ID) async throws -> Bool

    /// Every part of the delivery's thread (same run, destination and recipient), in order; a later part replies to
    /// the ``Delivery/remoteID`` of the one before.
    func thread(of id: Delivery.ID) async throws -> [Delivery]

    /// How many deliveries are in each state; states with none are absent.
    func deliveryCounts() async throws -> [DeliveryState: Int]

    /// The delivery's attempts log, oldest first.
    func attempts(of id: Delivery.ID) async throws -> [DeliveryAttempt]

    // MARK: Channel sessions

    /// The session a destination's channel saved (sealed by the channel: the store never holds a token in clear),
    /// or nil.
    func channelSession(for destination: String) async throws -> Data?

    /// Saves (or, with nil, forgets) a destination's sealed session.
    func saveChannelSession(_ sealed: Data?, for destination: String, at now: Date) async throws

    // MARK: Rate limits

    /// The recorded rate-limit states of one destination (or of all), by destination and bucket.
    func rateLimits(destination: String?) async throws -> [RateLimitState]

    /// Records the state of one (destination, bucket), replacing what was recorded.
    func setRateLimit(_ state: RateLimitState) async throws

    /// Forgets the state of one (destination, bucket).
    func clearRateLimit(destination: String, bucket: String) async throws

    /// Forgets every state that says nothing about `now` or later (its ``RateLimitState/expiresAt`` is at or before
    /// `now`, or it has none).
    ///
    /// - Returns: How many were forgotten.
    @discardableResult
    func clearExpiredRateLimits(at now: Date) async throws -> Int
}

extension OutboxStore {
    /// Claims due deliveries of every run; see ``claimDue(owner:now:limit:excludingDestinations:run:)``.
    public func claimDue(owner: OwnerID, now: Date, limit: Int, excludingDestinations: Set<String>) async throws -> [Delivery] {
        try await claimDue(owner: owner, now: now, limit: limit, excludingDestinations: excludingDestinations, run: nil)
    }

    /// The next due time over every run; see ``nextDueTime(excludingDestinations:run:)``.
    public func nextDueTime(excludingDestinations: Set<String>) async throws -> Date? {
        try await nextDueTime(excludingDestinations: excludingDestinations, run: nil)
    }
}

// One outcome is a batch of one: ``OutboxStore/settle(_:owner:at:)`` is the single place the rules live.
extension OutboxStore {
    /// Records that the service accepted the delivery, with the service's id for it.
    ///
    /// Applied from any state but `sent` (a reply that arrives late is still the truth, even when the delivery was
    /// recovered or settled meanwhile); refused when it is already `sent`, keeping the first remote id.
    @discardableResult
    public func markSent(
        _ id: Delivery.ID,
        owner: OwnerID,
        remoteID: String?,
        report: AttemptReport,
        at now: Date
    ) async throws -> DeliveryTransition {
        try await settleOne(SendOutcome(id, .sent(remoteID: remoteID), report: report), owner: owner, at: now)
    }

    /// Records a failed try worth repeating: the delivery becomes `retry`, due at `due`.
    ///
    /// Applied only while the delivery is `sending` under `owner`'s claim; else refused (still logged).
    @discardableResult
    public func markRetry(
        _ id: Delivery.ID,
        owner: OwnerID,
        due: Date,
        error: String,
        report: AttemptReport,
        at now: Date
    ) async throws -> DeliveryTransition {
        try await settleOne(SendOutcome(id, .retry(due: due, error: error), report: report), owner: owner, at: now)
    }

    /// Records that the delivery will not be sent (a permanent error, or too old): it becomes `dead`.
    ///
    /// Applied only while the delivery is `sending` under `owner`'s claim; else refused (still logged).
    @discardableResult
    public func markDead(
        _ id: Delivery.ID,
        owner: OwnerID,
        reason: String,
        report: AttemptReport,
        at now: Date
    ) async throws -> DeliveryTransition {
        try await settleOne(SendOutcome(id, .dead(reason: reason), report: report), owner: owner, at: now)
    }

    /// Records that the request may have reached a service without idempotency and no answer came: it becomes
    /// `unknown`, for an operator to decide.
    ///
    /// Applied only while the delivery is `sending` under `owner`'s claim; else refused (still logged).
    @discardableResult
    public func markUnknown(
        _ id: Delivery.ID,
        owner: OwnerID,
        reason: String,
        report: AttemptReport,
        at now: Date
    ) async throws -> DeliveryTransition {
        try await settleOne(SendOutcome(id, .unknown(reason: reason), report: report), owner: owner, at: now)
    }

    private func settleOne(_ outcome: SendOutcome, owner: OwnerID, at now: Date) async throws -> DeliveryTransition {
        try await settle([outcome], owner: owner, at: now)[0]
    }
}
