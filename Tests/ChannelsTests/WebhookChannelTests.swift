import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// Runs python3 with `script` and `arguments`; returns stdout (trimmed) and the exit status.
func runPython(_ script: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), process.terminationStatus)
}

let standardWebhooksLibraryAvailable: Bool = {
    (try? runPython("import standardwebhooks", []))?.status == 0
}()

@Suite struct WebhookChannelTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let settings = DestinationSettings(name: "partners", url: "jsons://partners.example/hooks/herald", secret: secret)

    @Test func parsesJsonAndJsonsForms() throws {
        let secure = try WebhookChannel(settings)
        let message = try #require(secure.render(Fixture.digest, context: Fixture.context).first)
        #expect(try secure.request(for: message, key: Fixture.key, context: Fixture.attempt).url == "https://partners.example/hooks/herald")
        let plain = try WebhookChannel(DestinationSettings(name: "p", url: "json://127.0.0.1:8080/in?x=1&-y=2"))
        let request = try plain.request(for: #require(plain.render(Fixture.digest, context: Fixture.context).first),
                                        key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "http://127.0.0.1:8080/in?x=1&y=2")
        #expect(request.header("webhook-signature") == nil)
        #expect(request.header("webhook-id") == Fixture.key)
        #expect(try ChannelRegistry.channel(for: settings) is WebhookChannel)
    }

    @Test func rejectsBadFormsWithoutRepeatingSecrets() {
        expectRejected(DestinationSettings(name: "p", url: "jsons://"), containing: "host")
        expectRejected(DestinationSettings(name: "p", url: "jsons://u:hunter22@host:99999/x"), secrets: ["hunter22"], containing: "port")
        expectRejected(DestinationSettings(name: "p", url: "jsons://host/x", secret: "not-a-whsec-secret"),
                       secrets: ["not-a-whsec-secret"], containing: "whsec_")
        expectRejected(DestinationSettings(name: "p", url: "jsons://host/x", secret: "whsec_!!!notbase64"),
                       secrets: ["!!!notbase64"], containing: "base64")
        expectRejected(DestinationSettings(name: "p", url: "jsons://host/x?:extra=1"), containing: "not supported")
        expectRejected(DestinationSettings(name: "p", url: "jsons://host/x", recipients: ["ftp://u:pw1234@h/x"]),
                       secrets: ["pw1234"], containing: "to[0]")
        expectRejected(DestinationSettings(name: "p", url: "jsons://host/x", endpoint: "ftp://proxy"), containing: "endpoint")
    }

    @Test func bodyFollowsTheDesignContract() throws {
        let channel = try WebhookChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let body = try jsonObject(messages[0].payload)
        #expect(body["type"] as? String == "herald.digest")
        #expect(body["job"] as? String == "funding-summary")
        #expect(body["logical_time"] as? String == "2014-03-03T09:00:00Z")
        #expect(body["run_id"] as? String == "42")
        #expect(body["text"] as? String == PlainTextRendering.render(Fixture.digest))
        let digest = try #require(body["digest"] as? [String: Any])
        #expect(digest["title"] as? String == Fixture.digest.title)
        #expect(digest["summary"] as? String == Fixture.digest.summary)
        #expect(digest["hashtags"] as? [String] == ["mutuals", "publicservices"])
        let links = try #require(digest["links"] as? [[String: Any]])
        #expect(links.first?["title"] as? String == "360Giving data")
        #expect(links.first?["url"] as? String == "https://example.org/data")
        let sections = try #require(digest["sections"] as? [[String: Any]])
        #expect(sections.count == 2)
        let items = try #require(sections[0]["items"] as? [[String: Any]])
        #expect(items[0]["text"] as? String == "Knowsley Youth Mutual: £93,000")
        let amount = try #require(items[0]["amount"] as? [String: Any])
        #expect(amount["amount"] as? String == "93000")
        #expect(amount["currency"] as? String == "GBP")
        #expect(items[0]["link"] as? String == "https://example.org/knowsley")
        #expect((items[1]["amount"] as? [String: Any])?["amount"] as? String == "18927.5")
        #expect(items[1]["link"] == nil)
        // The same run renders to the same bytes.
        #expect(channel.render(Fixture.digest, context: Fixture.context) == messages)
        #expect(channel.render(.empty, context: Fixture.context).isEmpty)
    }

    @Test func requestShapeAndStandardWebhooksHeaders() throws {
        let channel = try WebhookChannel(settings)
        let message = try #require(channel.render(Fixture.digest, context: Fixture.context).first)
        let request = try channel.request(for: message, key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("webhook-id") == Fixture.key)
        #expect(request.header("webhook-timestamp") == "1700000000")
        let signature = try #require(request.header("webhook-signature"))
        #expect(signature.hasPrefix("v1,"))
        #expect(request.body == message.payload)
        #expect(channel.deduplicatesByKey)
        // Each attempt is stamped with its own time and signed again.
        let later = try channel.request(for: message, key: Fixture.key, context: RequestContext(now: Fixture.now.addingTimeInterval(60)))
        #expect(later.header("webhook-timestamp") == "1700000060")
        #expect(later.header("webhook-signature") != signature)
    }

    @Test func matchesTheSpecificationsTestVector() throws {
        let key = try StandardWebhooks.key(fromSecret: Self.secret)
        let signature = StandardWebhooks.signature(key: key, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                                   body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(StandardWebhooks.verify(key: key, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330",
                                        body: Data(#"{"test": 2432232314}"#.utf8), signatureHeader: "v0,xx " + signature,
                                        now: Date(timeIntervalSince1970: 1_614_265_400)))
    }

    /// An independent implementation: Python's hmac, hashlib and base64 over the same bytes.
    @Test func signatureVerifiedByPythonStandardLibrary() throws {
        let channel = try WebhookChannel(settings)
        let message = try #require(channel.render(Fixture.digest, context: Fixture.context).first)
        let request = try channel.request(for: message, key: Fixture.key, context: Fixture.attempt)
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("herald-body-\(UUID().uuidString).json")
        try request.body.write(to: bodyFile)
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let script = """
            import base64, hashlib, hmac, sys
            secret, msg_id, timestamp, path = sys.argv[1:5]
            key = base64.b64decode(secret[len("whsec_"):] + "=" * (-len(secret[len("whsec_"):]) % 4))
            body = open(path, "rb").read()
            mac = hmac.new(key, msg_id.encode() + b"." + timestamp.encode() + b"." + body, hashlib.sha256).digest()
            print("v1," + base64.b64encode(mac).decode())
            """
        let result = try runPython(script, [Self.secret, try #require(request.header("webhook-id")),
                                            try #require(request.header("webhook-timestamp")), bodyFile.path])
        #expect(result.status == 0)
        #expect(result.output == request.header("webhook-signature"))
    }

    /// The reference library, when installed (`pip install standardwebhooks`).
    @Test(.enabled(if: standardWebhooksLibraryAvailable, "the standardwebhooks Python package is not installed"))
    func signatureVerifiedByStandardWebhooksLibrary() throws {
        let channel = try WebhookChannel(settings)
        let message = try #require(channel.render(Fixture.digest, context: Fixture.context).first)
        let request = try channel.request(for: message, key: Fixture.key, context: RequestContext(now: Date()))
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("herald-body-\(UUID().uuidString).json")
        try request.body.write(to: bodyFile)
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let script = """
            import sys
            from standardwebhooks.webhooks import Webhook
            secret, msg_id, timestamp, signature, path = sys.argv[1:6]
            body = open(path, "rb").read()
            headers = {"webhook-id": msg_id, "webhook-timestamp": timestamp, "webhook-signature": signature}
            payload = Webhook(secret).verify(body, headers)
            assert payload["type"] == "herald.digest", payload
            try:
                Webhook(secret).verify(body + b" ", headers)
                print("tampered body accepted")
            except Exception:
                print("verified")
            """
        let result = try runPython(script, [Self.secret, try #require(request.header("webhook-id")),
                                            try #require(request.header("webhook-timestamp")),
                                            try #require(request.header("webhook-signature")), bodyFile.path])
        #expect(result.status == 0)
        #expect(result.output == "verified")
    }

    @Test func manySubscribersOneDeliveryEachWithCredentialsMaskedInTheirIDs() throws {
        let channel = try WebhookChannel(DestinationSettings(
            name: "partners", url: "jsons://partners.example/hooks/herald",
            recipients: ["json://bob:s3cr3tpw@10.0.0.2:8080/in", "https://c.example/x?token=tok12345&+X-Api-Key=apikey999"]))
        #expect(channel.recipients == ["jsons://partners.example/hooks/herald", "json://bob:****@10.0.0.2:8080/in",
                                       "https://c.example/x?token=****&+X-Api-Key=****"])
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.map(\.recipient) == channel.recipients)
        #expect(Set(messages.map(\.payload)).count == 1)
        let second = try channel.request(for: messages[1], key: Fixture.key, context: Fixture.attempt)
        #expect(second.url == "http://10.0.0.2:8080/in")
        #expect(second.header("Authorization") == "Basic " + Data("bob:s3cr3tpw".utf8).base64EncodedString())
        let third = try channel.request(for: messages[2], key: Fixture.key, context: Fixture.attempt)
        #expect(third.url == "https://c.example/x?token=tok12345")
        #expect(third.header("X-Api-Key") == "apikey999")
        checkRedacted(second, channel: channel, secrets: ["s3cr3tpw", Data("bob:s3cr3tpw".utf8).base64EncodedString()])
        checkRedacted(third, channel: channel, secrets: ["tok12345", "apikey999"])
        var gone = messages[1]
        gone.recipient = "json://someone.else/in"
        #expect(throws: ChannelError.self) { try channel.request(for: gone, key: Fixture.key, context: Fixture.attempt) }
    }

    @Test func endpointOverrideReplacesSchemeHostPortAndPrefix() throws {
        var settings = settings
        settings.endpoint = "http://127.0.0.1:9000/proxy/"
        let channel = try WebhookChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "http://127.0.0.1:9000/proxy/hooks/herald")
    }

    @Test func classification() throws {
        let channel = try WebhookChannel(settings)
        for status in [200, 201, 202, 204] { #expect(channel.classify(HTTPResponse(status: status), at: Fixture.now) == .sent(remoteID: nil)) }
        #expect(channel.classify(HTTPResponse(status: 301, headers: [HTTPHeader("Location", "https://x")]), at: Fixture.now).isDead)
        #expect(channel.classify(HTTPResponse(status: 410), at: Fixture.now).reason.contains("gone"))
        checkCommonClassification(channel, secret: Self.secret)
        // After a send with no reply, a Standard Webhooks receiver deduplicates: retry, never unknown.
        #expect(channel.classify(transportError: "timeout", requestMayHaveBeenSent: true).retryDelay != nil)
    }

    @Test func redactionHidesTheSecretAndPreviewStaysUseful() throws {
        let channel = try WebhookChannel(DestinationSettings(name: "p", url: "jsons://u:pa55word@partners.example/hooks", secret: Self.secret))
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: ["pa55word", Self.secret, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let redacted = channel.redacted(request)
        #expect(redacted.header("webhook-id") == Fixture.key)
        #expect(redacted.body == request.body)
        #expect(channel.scrub("failed for \(Self.secret)") == "failed for ****")
    }
}
