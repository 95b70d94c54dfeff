import Foundation
import Testing

/// `herald trigger`, `deliveries`, `retry`, `drop` and `preview --format json` as an operator uses them,
/// against a real receiver on loopback.
@Suite(.serialized) struct DeliveryCommandTests {
    static let secret = "whsec_aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXM="

    func home(_ receiver: WebhookReceiver, subscribers: [String]) throws -> TestHome {
        let to = subscribers.map { "\"http://ops:hunter2-basic@127.0.0.1:\(receiver.port)\($0)\"" }.joined(separator: ", ")
        return try TestHome(
            jobs: ["notify": "plugin: healthy\nschedule: \"@yearly\"\noptions: { echo: hello }\ndestinations: [outbox, hooks]\n"],
            destinations: """
                hooks: { url: "json://127.0.0.1:\(receiver.port)/main", secret: "\(Self.secret)", to: [\(to)], \
                max_age: 1h, timeout: 2s }
                """,
            daemon: "retry_base: 50ms, retry_cap: 200ms")
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func triggerExitsNonZeroUnlessAllSentAndOperatorsCanRetryAndDrop() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, plan: ["/bad": ["400", "400"]])
        let home = try home(receiver, subscribers: ["/bad"])
        let at = ["--at", "2014-03-03T09:00:00Z"]
        let (status, output) = try await HeraldProcess.run(["trigger", "notify", "--config", home.config] + at, in: home.url)
        #expect(status == 1, "\(output)")
        #expect(output.contains("outbox → notify/2014-03-03T090000Z--outbox.txt: sent"))
        #expect(output.contains("hooks → json://127.0.0.1:\(receiver.port)/main: sent"))
        #expect(output.contains("/bad: dead: HTTP 400"))
        #expect(!output.contains("hunter2-basic"))

        let (_, listed) = try await HeraldProcess.run(["deliveries", "--state", "dead", "--format", "json", "--config", home.config], in: home.url)
        let dead = try #require(try json(listed) as? [[String: Any]])
        #expect(dead.count == 1)
        let id = try #require(dead.first?["id"] as? Int)
        #expect((dead.first?["last_error"] as? String)?.contains("HTTP 400") == true)
        #expect((dead.first?["attempts_log"] as? [[String: Any]])?.first?["status"] as? Int == 400)
        #expect(!listed.contains("hunter2-basic"))

        let (retried, retryText) = try await HeraldProcess.run(["retry", String(id), "--config", home.config], in: home.url)
        #expect(retried == 0 && retryText.contains("queued again"), "\(retryText)")
        // Triggering the same logical time again sends only what waits (the retried one, refused again), never the sent ones.
        let (again, againText) = try await HeraldProcess.run(["trigger", "notify", "--config", home.config] + at, in: home.url)
        #expect(again == 1)
        #expect(againText.contains("already ran"))
        #expect(try receiver.requests(to: "/main").count == 1, "a sent delivery is never sent again")
        #expect(try receiver.requests(to: "/bad").count == 2)

        let (dropped, dropText) = try await HeraldProcess.run(["drop", String(id), "--config", home.config], in: home.url)
        #expect(dropped == 0 && dropText.contains("dropped"), "\(dropText)")
        let (refused, refusedText) = try await HeraldProcess.run(["drop", String(id), "--config", home.config], in: home.url)
        #expect(refused == 1 && refusedText.contains("is dropped"))
        let (_, table) = try await HeraldProcess.run(["deliveries", "--config", home.config], in: home.url)
        #expect(table.contains("dropped") && table.contains("sent"))
    }

    @Test func triggerExitsZeroWhenEverythingIsSent() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, plan: ["/flaky": ["503"]])
        let home = try home(receiver, subscribers: ["/flaky"])
        let (status, output) = try await HeraldProcess.run(["trigger", "notify", "--at", "2014-03-03T09:00:00Z", "--config", home.config],
                                                           in: home.url)
        #expect(status == 0, "\(output)")
        #expect(try receiver.requests(to: "/flaky").map(\.outcome.description) == ["503", "200"])
    }

    @Test func previewJSONShowsEachRequestWithSecretsRedacted() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        let home = try home(receiver, subscribers: ["/second"])
        let (status, output) = try await HeraldProcess.run(
            ["preview", "notify", "--at", "2014-03-03T09:00:00Z", "--format", "json", "--config", home.config], in: home.url)
        #expect(status == 0, "\(output)")
        let document = try #require(try json(output) as? [String: Any])
        let messages = try #require(document["messages"] as? [[String: Any]])
        #expect(messages.map { $0["kind"] as? String } == ["file", "http", "http"])
        let second = try #require(messages.last)
        #expect(second["method"] as? String == "POST")
        #expect((second["url"] as? String) == "http://127.0.0.1:\(receiver.port)/second")
        let headers = try #require(second["headers"] as? [[String]])
        #expect(headers.contains(["Authorization", "Basic ****"]))
        #expect(headers.contains { $0.first == "webhook-signature" && $0.last?.hasPrefix("v1,") == true })
        #expect(headers.contains { $0.first == "webhook-id" && $0.last == second["key"] as? String })
        let body = try #require(try json(second["body"] as? String ?? "") as? [String: Any])
        #expect(body["type"] as? String == "herald.digest")
        #expect(!output.contains("hunter2-basic") && !output.contains("aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMzItYnl0ZXM"))
        #expect(try receiver.requests().isEmpty, "preview sends nothing")
    }
}
