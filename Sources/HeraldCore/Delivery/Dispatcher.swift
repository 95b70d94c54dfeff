import Channels
import Foundation
import Logging
import Store

/// Sends what runs put in the outbox: claims due deliveries, sends each through its destination's channel,
/// and records how each attempt ended.
///
/// - A delivery is claimed (`sending`, one more attempt) in the store before its request leaves, so a crash
///   can only leave it in flight, never lost or silently repeated; ``recover()`` settles what a dead instance
///   left in flight: resent with the same key where the service deduplicates, else `unknown`.
/// - At most `daemon.max_concurrent_sends` sends at once, and per destination its `concurrency:`; under
///   `rate:` one at a time, spaced. Parts of one thread go in order (the store does not hand out a part
///   before the one before it is sent).
/// - A failure worth repeating waits for the service's delay (`Retry-After`, rate-limit headers and bodies)
///   or exponential backoff with full jitter; a hold the service asked for stops every send to that
///   destination and is kept in the store, so it survives restarts. A delivery not sent within the
///   destination's `max_age:` is dead, with the reason.
/// - Outcomes are written in batches: every send that finished since the last look is recorded in one transaction,
///   the one that claims the next deliveries when there is room for them; while sends are in flight an outcome
///   waits for that claim at most ``recordDelay``.
public actor Dispatcher {
    /// Makes the transport for a destination (the daemon's: one ``CurlClient`` with the destination's timeout).
    public typealias TransportFactory = @Sendable (DeliveryPolicy) -> any ChannelTransport

    private let store: any OutboxStore
    private let owner: OwnerID
    private let logger: Logger
    private let makeTransport: TransportFactory
    private var configuration: HeraldConfiguration
    private var backoff: Backoff

    private var traffic: [String: DestinationTraffic] = [:]
    private var inFlight = 0
    private var finished: [SendOutcome] = []
    /// When the oldest of `finished` came back.
    private var finishedSince: Date?
    private var holdsToSave: [RateLimitState] = []
    private var sends: [Delivery.ID: Task<Void, Never>] = [:]
    private let doorbell = Doorbell()
    /// Sends that came back and are not yet accounted for (in flight, holds, outcomes to record).
    private let returned = FinishedSends()

    /// The most deliveries claimed in one transaction.
    static let claimBatch = 64
    /// The longest the outcome of a send that came back waits for a claim's transaction to be recorded in, while sends
    /// are in flight: claims come every few milliseconds when the outbox is busy, and a transaction of its own for
    /// every few outcomes cost as much as the outcomes. A crash in that moment finds such a send still `sending`,
    /// as one whose reply had not yet come.
    static let recordDelay: TimeInterval = 0.01

    /// Creates a dispatcher; call ``recover()`` once before ``run()``.
    public init(store: any OutboxStore, owner: OwnerID, configuration: HeraldConfiguration, logger: Logger,
                transport: @escaping TransportFactory) {
        self.store = store
        self.owner = owner
        self.configuration = configuration
        self.logger = logger
        self.makeTransport = transport
        backoff = Backoff(base: configuration.daemon.retryBase, cap: configuration.daemon.retryCap)
    }

    /// Uses a reloaded configuration for the sends that start from now on.
    public func replaceConfiguration(_ configuration: HeraldConfiguration) {
        self.configuration = configuration
        backoff = Backoff(base: configuration.daemon.retryBase, cap: configuration.daemon.retryCap)
        doorbell.ring()
    }

    /// Says that deliveries were queued: look at the outbox now.
    public nonisolated func wake() {
        doorbell.ring()
    }

    /// Settles the sends that dead instances left in flight and restores the holds services asked for.
    /// Returns the deliveries recovered.
    @discardableResult
    public func recover() async throws -> [Delivery] {
        let now = Date()
        let idempotent = Set(configuration.destinations.filter { $0.channel.deduplicatesByKey }.map(\.name))
        let lease = (configuration.destinations.map(\.policy.timeout).max() ?? 30) * 2 + 60
        let recovered = try await store.recoverInFlight(
            owner: owner, idempotentDestinations: idempotent, policy: ReclaimPolicy(leaseDuration: .seconds(lease)), at: now)
        for delivery in recovered {
            let verb = delivery.state == .unknown ? "marked unknown (the request may have arrived; see `herald deliveries --state unknown`)"
                : "queued again with the same key"
            logger.warning("delivery \(delivery.id) was in flight when its sender stopped: \(verb)",
                           metadata: ["destination": "\(delivery.destination)", "job": "\(delivery.job)"])
        }
        try await store.clearExpiredRateLimits(at: now)
        for hold in try await store.rateLimits(destination: nil) {
            if let until = hold.blockedUntil, until > now {
                traffic[hold.destination, default: DestinationTraffic()].heldUntil = until
            }
        }
        return recovered
    }

    /// Sends until the task is cancelled; then starts nothing new, lets sends in flight finish for up to
    /// `grace`, cancels the rest (each is then settled as its channel says: retried or unknown) and records
    /// every outcome.
    public func run(grace: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            let next = await step(run: nil)
            await doorbell.wait(until: next)
        }
        await finishInFlight(grace: grace)
    }

    /// Sends `run`'s deliveries only (`herald trigger`), until each has ended (`sent`, `dead`, `unknown`,
    /// `dropped`), waits for a retry due after `patience`, or waits behind an earlier part of its thread that ended
    /// `dead` or `unknown` (only an operator moves it on); returns them as they then stand.
    public func deliver(run: Run.ID, patience: Duration) async throws -> [Delivery] {
        let deadline = Date().addingTimeInterval(TimeInterval(patience.components.seconds))
        while true {
            let next = await step(run: run)
            if inFlight == 0 {
                let deliveries = try await store.deliveries(run: run)
                // Usually every delivery has ended: then there is nothing to weigh (a run may have thousands).
                if !deliveries.contains(where: { [.pending, .sending, .retry].contains($0.state) }) { return deliveries }
                // The first part of each thread that ended dead or unknown: the parts after it wait for an operator.
                var haltedAt: [ThreadKey: Int] = [:]
                for delivery in deliveries where [.dead, .unknown].contains(delivery.state) {
                    let thread = ThreadKey(delivery)
                    haltedAt[thread] = min(haltedAt[thread] ?? .max, delivery.partIndex)
                }
                let open = deliveries.filter { delivery in
                    [.pending, .sending, .retry].contains(delivery.state) && delivery.partIndex <= haltedAt[ThreadKey(delivery), default: .max]
                }
                let waitingPast = open.allSatisfy { $0.state == .retry && ($0.dueAt ?? .distantFuture) > deadline }
                if open.isEmpty || waitingPast || Date() >= deadline { return deliveries }
            }
            await doorbell.wait(until: [next, deadline].compactMap { $0 }.min())
        }
    }

    /// The parts of one thread share a destination and a recipient (within a run).
    private struct ThreadKey: Hashable {
        var destination: String
        var recipient: String

        init(_ delivery: Delivery) {
            destination = delivery.destination
            recipient = delivery.recipient
        }
    }

    // MARK: - One look at the outbox

    /// Records finished sends, claims what may start now and starts it; returns when to look again
    /// (nil: only when rung).
    private func step(run: Run.ID?) async -> Date? {
        takeReturnedSends()
        await saveHolds()
        let now = Date()
        var closed: Set<String> = []
        var reopening: [Date] = []
        var room = configuration.daemon.maxConcurrentSends - inFlight
        for destination in configuration.destinations {
            let lane = traffic[destination.name] ?? DestinationTraffic()
            let free = lane.room(at: now, policy: destination.policy)
            if free == 0 {
                closed.insert(destination.name)
                if let opening = lane.openingTime(after: now) { reopening.append(opening) }
            } else {
                room = min(room, free)
            }
        }
        // While sends are in flight, wait until a fair batch of room is free: each claim is a transaction, and
        // claiming one delivery per finished send would spend more on bookkeeping than on sending.
        let batch = max(1, (room + inFlight) / 4)
        guard room > 0, room >= batch else {
            // Wake when enough sends came back for a batch (each frees at most one slot), or when all in flight did.
            if returned.wake(atCount: min(inFlight, batch - max(0, room))) { doorbell.ring() }
            if inFlight > 0, let since = finishedSince, now.timeIntervalSince(since) < Self.recordDelay {
                return (reopening + [since.addingTimeInterval(Self.recordDelay)]).min()
            }
            await recordOutcomes()
            return reopening.min()
        }
        if returned.wake(atCount: 1) { doorbell.ring() }
        let limit = min(room, Self.claimBatch)
        // The outcomes gathered since the last turn are recorded in the claim's transaction: one commit a turn.
        let outcomes = finished
        finished = []
        finishedSince = nil
        let claimed: [Delivery]
        do {
            claimed = try await store.recordAndClaim(
                outcomes, owner: owner, now: now, limit: limit, excludingDestinations: closed, run: run)
        } catch {
            // Keep them: the sends happened, and their outcomes must not be lost to a busy database. They are tried
            // again on their own at once, so that a claim that keeps failing does not hold them back.
            finished = outcomes + finished
            finishedSince = finishedSince ?? now
            logger.error("cannot record \(outcomes.count) send outcomes and claim deliveries from the outbox: \(error); trying again in 5s")
            await recordOutcomes()
            return now.addingTimeInterval(5)
        }
        for delivery in claimed { start(delivery, at: now) }
        if claimed.count == limit { return now }
        // Sends that come back ring the bell and the next look claims whatever is due by then, so the next due
        // time matters only when nothing is in flight.
        if inFlight > 0 { return reopening.min() }
        do {
            let due = try await store.nextDueTime(excludingDestinations: closed, run: run)
            return ([due] + reopening.map { Optional($0) }).compactMap { $0 }.min()
        } catch {
            logger.error("cannot read the outbox's next due time: \(error); trying again in 5s")
            return now.addingTimeInterval(5)
        }
    }

    private func start(_ delivery: Delivery, at now: Date) {
        guard let destination = configuration.destination(named: delivery.destination) else {
            if finished.isEmpty { finishedSince = now }
            finished.append(SendOutcome(delivery.id, .dead(
                reason: "destination '\(delivery.destination)' is no longer configured (add it back and `herald retry \(delivery.id)`)")))
            doorbell.ring()
            return
        }
        traffic[destination.name, default: DestinationTraffic()].take(at: now, policy: destination.policy)
        inFlight += 1
        let transport = makeTransport(destination.policy)
        let store = self.store
        let (returned, doorbell) = (self.returned, self.doorbell)
        // The send reports back through `returned` and the doorbell, without a hop onto this actor.
        sends[delivery.id] = Task {
            let report = await Self.send(delivery, to: destination, store: store, transport: transport)
            if returned.put(FinishedSend(delivery: delivery, destination: destination, report: report, at: Date())) {
                doorbell.ring()
            }
        }
    }

    /// One attempt, outside the actor so sends overlap.
    private static func send(_ delivery: Delivery, to destination: DestinationDefinition, store: any OutboxStore,
                             transport: any ChannelTransport) async -> SendReport {
        let now = Date()
        let age = now.timeIntervalSince(delivery.ageReference)
        if age > destination.policy.maxAge {
            return SendReport(verdict: .dead(reason: "not sent within max_age (\(Self.describe(destination.policy.maxAge))) "
                + "of being queued; not sent (`herald retry \(delivery.id)` to send it anyway)"))
        }
        var context = RequestContext(now: now, sessions: StoredSessions(store: store), attempt: delivery.attempts)
        if delivery.partIndex > 0 {
            do {
                let thread = try await store.thread(of: delivery.id)
                context.previousRemoteID = thread.last { $0.partIndex < delivery.partIndex && $0.state == .sent }?.remoteID
                context.rootRemoteID = thread.first { $0.state == .sent }?.remoteID
            } catch {
                return SendReport(verdict: .retry(after: 5, reason: "cannot read the earlier parts of the thread: \(error)"))
            }
        }
        let message = ChannelMessage(recipient: delivery.recipient, part: delivery.partIndex, partCount: delivery.partCount,
                                     payload: delivery.payload)
        return await destination.channel.send(message, key: delivery.key.rawValue, context: context, via: transport)
    }

    /// Accounts for every send that came back since the last call: frees its slots, applies the hold the service
    /// asked for, logs what went wrong, and queues its outcome to be recorded on this turn.
    private func takeReturnedSends() {
        for send in returned.take() {
            completed(send.delivery, destination: send.destination, report: send.report, at: send.at)
        }
    }

    private func completed(_ delivery: Delivery, destination: DestinationDefinition, report: SendReport, at now: Date) {
        sends[delivery.id] = nil
        inFlight -= 1
        traffic[destination.name, default: DestinationTraffic()].inFlight -= 1
        let scrub = { (text: String) in self.configuration.redact(destination.channel.scrub(text)) }
        let attempt = AttemptReport(status: report.status, responseExcerpt: report.excerpt.flatMap { $0.isEmpty ? nil : scrub($0) })
        var meta: Logger.Metadata { ["destination": "\(destination.name)", "delivery": "\(delivery.id)", "job": "\(delivery.job)"] }
        if let pause = report.pacing, pause > 0 {
            let until = now.addingTimeInterval(pause)
            var lane = traffic[destination.name, default: DestinationTraffic()]
            if (lane.heldUntil ?? .distantPast) < until {
                lane.heldUntil = until
                traffic[destination.name] = lane
                holdsToSave.append(RateLimitState(destination: destination.name, blockedUntil: until, updatedAt: now))
                logger.info("holding sends to \(destination.name) for \(Self.describe(pause)) as the service asked", metadata: meta)
            }
        }
        let result: SendOutcome.Result
        switch report.verdict {
        case .sent(let remoteID):
            result = .sent(remoteID: remoteID)
        case .dead(let reason):
            result = .dead(reason: scrub(reason))
            logger.error("delivery \(delivery.id) to \(destination.name) is dead: \(scrub(reason))", metadata: meta)
        case .unknown(let reason):
            result = .unknown(reason: scrub(reason))
            let advice = "not resent without an operator (`herald retry \(delivery.id)` or `herald drop \(delivery.id)`)"
            logger.error("delivery \(delivery.id) to \(destination.name) may or may not have arrived: \(scrub(reason)); \(advice)",
                         metadata: meta)
        case .retry(let after, let reason):
            let due = now.addingTimeInterval(backoff.delay(afterAttempts: delivery.attempts, serviceDelay: after))
            let expiry = delivery.ageReference.addingTimeInterval(destination.policy.maxAge)
            if due > expiry {
                result = .dead(reason: scrub(reason) + "; gave up after \(delivery.attempts) attempts: the next would come after max_age ("
                    + Self.describe(destination.policy.maxAge) + ")")
                logger.error("delivery \(delivery.id) to \(destination.name) is dead after \(delivery.attempts) attempts: \(scrub(reason))",
                             metadata: meta)
            } else {
                result = .retry(due: due, error: scrub(reason))
                let wait = Self.describe(due.timeIntervalSince(now))
                logger.warning("delivery \(delivery.id) to \(destination.name) will be retried in \(wait): \(scrub(reason))",
                               metadata: meta)
            }
        }
        if finished.isEmpty { finishedSince = now }
        finished.append(SendOutcome(delivery.id, result, report: attempt))
    }

    /// Writes the outcomes and holds gathered since the last call.
    private func flush() async {
        await recordOutcomes()
        await saveHolds()
    }

    /// Writes the outcomes gathered since the last call, in one transaction.
    private func recordOutcomes() async {
        if !finished.isEmpty {
            let batch = finished
            let since = finishedSince
            finished = []
            finishedSince = nil
            do {
                try await store.record(batch, owner: owner, at: Date())
            } catch {
                // Keep them: the sends happened, and their outcomes must not be lost to a busy database.
                finished = batch + finished
                finishedSince = since ?? Date()
                logger.error("cannot record \(batch.count) send outcomes: \(error); trying again")
            }
        }
    }

    /// Writes the holds services asked for since the last call.
    private func saveHolds() async {
        if !holdsToSave.isEmpty {
            let holds = holdsToSave
            holdsToSave = []
            for hold in holds {
                do { try await store.setRateLimit(hold) } catch {
                    logger.error("cannot record the hold on \(hold.destination): \(error)")
                }
            }
        }
    }

    private func finishInFlight(grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        if inFlight > 0 { logger.notice("waiting up to \(grace) for \(inFlight) sends in flight") }
        // Shutdown is bounded by `grace`, so a short poll is simplest and cannot hang on a lost wake-up.
        takeReturnedSends()
        while inFlight > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            takeReturnedSends()
        }
        if inFlight > 0 {
            logger.warning("cancelling \(inFlight) sends still in flight; each is settled as its service allows")
            for task in sends.values { task.cancel() }
            for task in Array(sends.values) { await task.value }
            takeReturnedSends()
        }
        await flush()
    }

    static func describe(_ seconds: TimeInterval) -> String {
        if seconds >= 3600 { return String(format: "%.1fh", seconds / 3600) }
        if seconds >= 60 { return String(format: "%.1fm", seconds / 60) }
        return String(format: "%.1fs", seconds)
    }
}
