import Channels
import Foundation
@testable import HeraldCore
import Logging
import ReportKit
import Store
import Testing

/// The dispatcher against a real Standard Webhooks receiver on loopback that fails on purpose: 5xx, 429
/// with Retry-After (seconds and HTTP-date), resets, replies slower than the timeout, permanent 4xx, a
/// receiver that never recovers. Every delivery must end sent or dead with its reason, within bounded
/// attempts, with every request signed correctly.
@Suite(.serialized) struct DeliveryReliabilityTests {
    static let secret = "whsec_aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXM="
    static let digest = Digest(
        title: "Funding in February 2013", summary: "3 awards, around £159,000",
        sections: [Digest.Section(title: "Largest", items: [
            Digest.Item("Spiral Health CIC: £18,927.50", amount: Money(Decimal(string: "18927.50")!),
                        link: URL(string: "https://example.org/spiral")),
        ])])

    /// A home whose job `hooks-job` sends to `hooks`, a signed webhook with one subscriber per path.
    // max_age leaves room for a test machine so busy that the first send waits seconds for a thread.
    func home(receiver: WebhookReceiver, paths: [String], policy: String = "timeout: 2s, max_age: 12s",
              daemon: String = "retry_base: 100ms, retry_cap: 1s") throws -> TestHome {
        let subscribers = paths.dropFirst().map { "\"\(receiver.base)\($0)\"" }.joined(separator: ", ")
        return try TestHome(
            jobs: ["hooks-job": "plugin: healthy\nschedule: \"@yearly\"\ndestinations: [hooks]\n"],
            destinations: """
                hooks: { url: "\(receiver.base.replacingOccurrences(of: "http://", with: "json://"))\(paths[0])", \
                secret: "\(Self.secret)", to: [\(subscribers)], \(policy) }
                """,
            daemon: daemon)
    }

    /// Queues the digest for `home`'s job as a run would, and sends it with the daemon's dispatcher.
    func deliver(_ home: TestHome, patience: Duration = .seconds(30), logicalTime: Date = Date(timeIntervalSince1970: 1_362_128_400))
        async throws -> (SQLiteStore, [Delivery]) {
        let runtime = try HeraldRuntime.load(configPath: home.config, logLevel: .critical)
        let job = try #require(runtime.configuration.job(named: "hooks-job"))
        try FileManager.default.createDirectory(at: home.url.appendingPathComponent("var"), withIntermediateDirectories: true)
        let store = try SQLiteStore(path: home.statePath)
        let owner = OwnerID(rawValue: "test:\(UUID().uuidString)")
        guard case .claimed(let run) = try await store.claimRun(job: job.name, logicalTime: logicalTime, trigger: .manual,
                                                                owner: owner, at: Date()) else {
            Issue.record("run already recorded")
            return (store, [])
        }
        let deliveries = try DigestRendering(configuration: runtime.configuration)
            .deliveries(Self.digest, job: job, logicalTime: logicalTime, runID: run.id.description)
        _ = try await store.finishRun(run.id, owner: owner, outcome: .succeeded(), enqueuing: deliveries, at: Date())
        let result = try await runtime.withDispatcher(store: store, owner: owner) { dispatcher in
            try await dispatcher.recover()
            return try await dispatcher.deliver(run: run.id, patience: patience)
        }
        return (store, result)
    }

    @Test func everyDeliveryEndsSentOrDeadWithItsReasonWithinBoundedAttempts() async throws {
        let plan: [String: [String]] = [
            "/ok": [], "/flaky": ["500", "503", "200"], "/limited": ["429:1", "200"], "/dated": ["429d:2", "200"],
            "/reset": ["reset", "200"], "/slow": ["slow:4", "200"], "/rejected": ["400"], "/gone": ["410"],
            "/down": Array(repeating: "500", count: 500),
        ]
        let receiver = try await WebhookReceiver(secret: Self.secret, plan: plan)
        let paths = ["/ok", "/flaky", "/limited", "/dated", "/reset", "/slow", "/rejected", "/gone", "/down"]
        let home = try home(receiver: receiver, paths: paths)
        let (store, deliveries) = try await deliver(home)
        defer { try? store.close() }
        let byPath = Dictionary(uniqueKeysWithValues: deliveries.map { (String($0.recipient.split(separator: "/").last!), $0) })
        func state(_ path: String) -> DeliveryState? { byPath[String(path.dropFirst())]?.state }

        for path in ["/ok", "/flaky", "/limited", "/dated", "/reset", "/slow"] {
            #expect(state(path) == .sent, "\(path): \(String(describing: byPath[String(path.dropFirst())]))")
        }
        #expect(state("/rejected") == .dead)
        #expect(byPath["rejected"]?.lastError?.contains("HTTP 400") == true)
        #expect(state("/gone") == .dead)
        #expect(byPath["gone"]?.lastError?.contains("gone") == true)
        #expect(state("/down") == .dead)
        #expect(byPath["down"]?.lastError?.contains("max_age") == true)

        let requests = try receiver.requests()
        #expect(!requests.isEmpty && requests.allSatisfy(\.verified), "every request carries a valid Standard Webhooks signature")
        // One delivery key per subscriber, on every attempt.
        for path in paths {
            let ids = Set(try receiver.requests(to: path).map(\.id))
            #expect(ids.count == 1, "\(path) saw ids \(ids)")
        }
        #expect(try receiver.requests(to: "/ok").count == 1)
        #expect(try receiver.requests(to: "/flaky").map(\.outcome.description) == ["500", "503", "200"])
        #expect(try receiver.requests(to: "/rejected").count == 1, "a permanent 4xx is never retried")
        #expect(try receiver.requests(to: "/reset").count == 2)
        #expect(try receiver.requests(to: "/slow").count == 2, "the service deduplicates, so a timed-out send is resent")
        // Retry-After is obeyed: the second request waits at least what the receiver asked.
        for path in ["/limited", "/dated"] {
            let times = try receiver.requests(to: path).map(\.t)
            #expect(times.count == 2 && times[1] - times[0] >= 0.95, "\(path) retried after \(times)")
        }
        // No retry storm: backoff from 100 ms, capped at 1 s (full jitter), for 12 s is a few dozen tries at most.
        let down = try receiver.requests(to: "/down").count
        #expect(down >= 4 && down <= 80, "the failing subscriber was tried \(down) times")
        let flaky = try #require(byPath["flaky"])
        #expect(try await store.attempts(of: flaky.id).map(\.status) == [500, 503, 200])
        // The hold the 429s asked for is recorded, so it would survive a restart.
        #expect(try await store.rateLimits(destination: "hooks").contains { $0.blockedUntil != nil })
    }

    @Test func aRetryThatWouldComeAfterMaxAgeIsDeadAtOnce() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, plan: ["/hook": ["429:3600"]])
        let home = try home(receiver: receiver, paths: ["/hook"], policy: "timeout: 2s, max_age: 10m")
        let (store, deliveries) = try await deliver(home)
        defer { try? store.close() }
        #expect(deliveries.map(\.state) == [.dead])
        #expect(deliveries.first?.lastError?.contains("HTTP 429") == true)
        #expect(deliveries.first?.lastError?.contains("max_age (10.0m)") == true)
    }

    @Test func aWrongSecretIsRejectedByTheReceiverAndTheDeliveryIsDead() async throws {
        let receiver = try await WebhookReceiver(secret: "whsec_" + Data("a different key of thirty-two b!".utf8).base64EncodedString())
        let home = try home(receiver: receiver, paths: ["/hook"])
        let (store, deliveries) = try await deliver(home)
        defer { try? store.close() }
        #expect(deliveries.map(\.state) == [.dead])
        #expect(deliveries.first?.lastError?.contains("HTTP 401") == true)
        #expect(try receiver.requests().map(\.verified) == [false])
        #expect(deliveries.first?.lastError?.contains("aGVyYWxk") == false, "the secret never appears in a reason")
    }

    @Test func aHoldTheServiceAskedForSurvivesARestart() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, plan: ["/hook": ["429:3600"]])
        let home = try home(receiver: receiver, paths: ["/hook"], policy: "timeout: 2s, max_age: 24h")
        let (store, first) = try await deliver(home, patience: .seconds(2))
        #expect(first.map(\.state) == [.retry])
        try store.close()
        // A new dispatcher (a restarted daemon) reads the hold and sends nothing to the destination.
        let (again, second) = try await deliver(home, patience: .seconds(2), logicalTime: Date(timeIntervalSince1970: 1_364_806_800))
        defer { try? again.close() }
        #expect(second.map(\.state) == [.pending])
        #expect(try receiver.requests().count == 1)
    }
}
