import Foundation
import Store
import Testing

/// `kill -9` the daemon at random moments during a 1,000-delivery fan-out, ten times, then let it finish:
/// every delivery arrives, and a request reaches the receiver twice only if it was in flight at a kill,
/// always with its original `webhook-id`.
@Suite(.serialized) struct DeliveryCrashTests {
    static let secret = "whsec_aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXM="
    static let subscribers = 1000
    static let concurrency = 4
    static let kills = 10

    @Test func killedTenTimesDuringAFanOutEveryDeliveryArrivesOnceUnlessInFlight() async throws {
        // 15 ms per request at 4 at once is about 250 a second, so the fan-out outlasts the ten short lives below.
        let receiver = try await WebhookReceiver(secret: Self.secret, delayMilliseconds: 15)
        let home = try TestHome(
            jobs: ["fanout": """
                plugin: healthy
                schedule: "@yearly"
                options: { echo: fan-out }
                destinations: [subscribers]
                """],
            destinations: """
                subscribers: { url: "json://127.0.0.1:\(receiver.port)/s/0", secret: "\(Self.secret)", \
                recipients_file: etc/subscribers.txt, concurrency: \(Self.concurrency), timeout: 10s }
                """,
            daemon: "retry_base: 100ms, retry_cap: 1s")
        let list = (1..<Self.subscribers).map { "http://127.0.0.1:\(receiver.port)/s/\($0)" }
        try home.write("# one subscriber per line\n" + list.joined(separator: "\n") + "\n", to: "etc/subscribers.txt")

        // The run queues its 1,000 deliveries and leaves the sending to the daemon.
        let (queued, output) = try await HeraldProcess.run(
            ["trigger", "fanout", "--at", "2014-03-03T09:00:00Z", "--wait", "0s", "--config", home.config], in: home.url)
        #expect(queued == 1 && output.contains("queued 1000 to subscribers"), "\(output)")
        #expect(try receiver.requests().isEmpty)

        var delivered: [Int] = []
        for _ in 0..<Self.kills {
            let daemon = try HeraldProcess(["run", "--config", home.config], in: home.url)
            try await daemon.waitFor("ready in")
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...400)))
            try await daemon.signal(SIGKILL)
            delivered.append(Set(try receiver.requests().compactMap(\.id)).count)
        }
        #expect(delivered.last ?? Self.subscribers < Self.subscribers, "the kills landed during the fan-out: \(delivered)")

        let last = try HeraldProcess(["run", "--config", home.config], in: home.url)
        let store = try SQLiteStore(path: home.statePath)
        defer { try? store.close() }
        // Done when the store says every delivery is sent (the receiver may have seen a request whose outcome a
        // kill kept from being recorded; that one is sent again, with the same id).
        let start = ContinuousClock.now
        while try await store.deliveryCounts()[.sent] ?? 0 < Self.subscribers, ContinuousClock.now - start < .seconds(180) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await last.signal(SIGTERM) == 0)

        let requests = try receiver.requests()
        #expect(requests.allSatisfy { $0.verified })
        let byPath = Dictionary(grouping: requests, by: \.path)
        #expect(byPath.count == Self.subscribers, "every subscriber got the digest")
        #expect(Set(requests.compactMap(\.id)).count == Self.subscribers, "exactly 1,000 distinct webhook-ids")
        for (path, seen) in byPath where Set(seen.map(\.id)).count != 1 {
            Issue.record("\(path) received different webhook-ids: \(seen.map(\.id))")
        }
        let deliveries = try await store.deliveries(state: nil, limit: 5000)
        #expect(deliveries.count == Self.subscribers)
        #expect(deliveries.allSatisfy { $0.state == .sent }, "\(Dictionary(grouping: deliveries, by: \.state).mapValues(\.count))")
        // A subscriber that saw a request twice had its delivery claimed twice: it was in flight at a kill, or an
        // attempt that reached the receiver failed on the way back (a reset or timeout under load) and was logged
        // and retried, as it should be.
        let byKey = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.key.rawValue, $0) })
        var retriedAfterALoggedFailure = 0
        for (_, seen) in byPath where seen.count > 1 {
            let key = try #require(seen.first?.id)
            let delivery = try #require(byKey[key])
            #expect(delivery.attempts >= seen.count, "\(key): \(seen.count) requests but \(delivery.attempts) claims")
            retriedAfterALoggedFailure += try await store.attempts(of: delivery.id).filter { $0.outcome != .sent }.count
        }
        // At most `concurrency` deliveries are claimed and unrecorded at any moment, so each kill strands at most that many.
        let repeats = requests.count - Self.subscribers
        #expect(repeats <= Self.kills * Self.concurrency + retriedAfterALoggedFailure,
                "\(repeats) repeated requests; at most \(Self.concurrency) in flight at each of \(Self.kills) kills, \(retriedAfterALoggedFailure) logged failures")
        let runs = try await store.recentRuns(job: "fanout", limit: 10)
        #expect(runs.count == 1 && runs.first?.state == .succeeded)
    }
}
