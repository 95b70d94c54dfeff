import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct DiscordChannelTests {
    static let token = "AbC-dEf_123ghiJKL456mnoPQR789stuVWX"
    let settings = DestinationSettings(name: "comms-discord", url: "discord://112233445566778899/\(token)")

    @Test func parsesAppriseAndRawForms() throws {
        for url in ["discord://112233445566778899/\(Self.token)", "https://discord.com/api/webhooks/112233445566778899/\(Self.token)",
                    "https://discordapp.com/api/v10/webhooks/112233445566778899/\(Self.token)"] {
            let channel = try ChannelRegistry.channel(for: DestinationSettings(name: "d", url: url))
            #expect(channel is DiscordChannel)
            #expect(channel.recipients == ["112233445566778899"])
        }
        let threaded = try DiscordChannel(DestinationSettings(name: "d", url: "discord://herald@1122/\(Self.token)?thread=998877"))
        let message = try #require(threaded.render(Fixture.digest, context: Fixture.context).first)
        let request = try threaded.request(for: message, key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "https://discord.com/api/webhooks/1122/\(Self.token)?wait=true&thread_id=998877")
        #expect(try jsonObject(request.body)["username"] as? String == "herald")
    }

    @Test func rejectsBadFormsWithoutRepeatingTheToken() {
        let token = Self.token
        expectRejected(DestinationSettings(name: "d", url: "discord://abc/\(token)"), secrets: [token], containing: "digits")
        expectRejected(DestinationSettings(name: "d", url: "discord://1122"), containing: "WEBHOOK_ID/TOKEN")
        expectRejected(DestinationSettings(name: "d", url: "discord://1122/\(token)/extra"), secrets: [token])
        expectRejected(DestinationSettings(name: "d", url: "discord://1122/\(token)$"), secrets: [token], containing: "token")
        expectRejected(DestinationSettings(name: "d", url: "discord://Discord Bot@1122/\(token)"), secrets: [token])
        expectRejected(DestinationSettings(name: "d", url: "discord://1122/\(token)", recipients: ["x"]), secrets: [token])
    }

    @Test func requestShapeAndEndpointOverride() throws {
        var settings = settings
        settings.endpoint = "http://[::1]:8081"
        let channel = try DiscordChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "POST")
        #expect(request.url == "http://[::1]:8081/api/webhooks/112233445566778899/\(Self.token)?wait=true")
        #expect(request.header("Content-Type") == "application/json")
        let body = try jsonObject(request.body)
        #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        let embeds = try #require(body["embeds"] as? [[String: Any]])
        #expect(embeds[0]["title"] as? String == Fixture.digest.title)
        #expect(embeds[0]["description"] as? String == Fixture.digest.summary)
        #expect(embeds[1]["title"] as? String == "Top recipients")
        #expect((embeds[1]["description"] as? String)?.contains("• Knowsley Youth Mutual: £93,000 ([source](https://example.org/knowsley))") == true)
        #expect((embeds.last?["description"] as? String)?.contains("[360Giving data](https://example.org/data)") == true)
        #expect(body["content"] == nil)
    }

    @Test func longDigestIsSplitWithinLimitsAndNothingIsLost() throws {
        let channel = try DiscordChannel(settings)
        let digest = Fixture.longDigest(sections: 12, items: 40, title: String(repeating: "Very long title ", count: 20))
        let messages = channel.render(digest, context: Fixture.context)
        #expect(messages.count > 1)
        var all = ""
        for message in messages {
            let body = try jsonObject(message.payload)
            let embeds = try #require(body["embeds"] as? [[String: Any]])
            #expect((1...10).contains(embeds.count))
            var total = 0
            for embed in embeds {
                let title = embed["title"] as? String
                let description = embed["description"] as? String
                #expect(utf16(title) <= 256)
                #expect(utf16(description) <= 4096)
                total += utf16(title) + utf16(description)
                all += (title ?? "") + "\n" + (description ?? "") + "\n"
            }
            #expect(total <= 6000)
            #expect(utf16(body["content"] as? String) <= 2000)
        }
        #expect(all.contains("**" + digest.title.trimmingCharacters(in: .whitespaces) + "**"))
        for section in digest.sections {
            for item in section.items { #expect(all.contains(item.text)) }
        }
    }

    @Test func classification() throws {
        let channel = try DiscordChannel(settings)
        let created = HTTPResponse(status: 200, body: Data(#"{"id":"1234567890123","channel_id":"55","content":""}"#.utf8))
        #expect(channel.classify(created, at: Fixture.now) == .sent(remoteID: "1234567890123"))
        #expect(channel.classify(HTTPResponse(status: 204), at: Fixture.now) == .sent(remoteID: nil))
        let limited = HTTPResponse(status: 429, headers: [HTTPHeader("X-RateLimit-Reset-After", "1.5")],
                                   body: Data(#"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#.utf8))
        #expect(channel.classify(limited, at: Fixture.now).retryDelay == .some(64.57))
        let headerOnly = HTTPResponse(status: 429, headers: [HTTPHeader("X-RateLimit-Reset-After", "2.25")])
        #expect(channel.classify(headerOnly, at: Fixture.now).retryDelay == .some(2.25))
        let unknown = channel.classify(HTTPResponse(status: 404, body: Data(#"{"message":"Unknown Webhook","code":10015}"#.utf8)), at: Fixture.now)
        #expect(unknown.isDead && unknown.reason.contains("gone") && unknown.reason.contains("10015"))
        let invalid = channel.classify(HTTPResponse(status: 400, body: Data(#"{"message":"Invalid Form Body","code":50035}"#.utf8)), at: Fixture.now)
        #expect(invalid.isDead && invalid.reason.contains("Invalid Form Body (code 50035)"))
        #expect(channel.pacing(after: HTTPResponse(status: 200, headers: [HTTPHeader("X-RateLimit-Remaining", "0"),
                                                                         HTTPHeader("X-RateLimit-Reset-After", "0.8")]), at: Fixture.now) == 0.8)
        #expect(channel.pacing(after: HTTPResponse(status: 200, headers: [HTTPHeader("X-RateLimit-Remaining", "3")]), at: Fixture.now) == nil)
        checkCommonClassification(channel, secret: Self.token)
    }

    @Test func redaction() throws {
        let channel = try DiscordChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: [Self.token])
        #expect(channel.redacted(request).url == "https://discord.com/api/webhooks/112233445566778899/****?wait=true")
    }
}
