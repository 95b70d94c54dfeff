import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct TelegramChannelTests {
    static let token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    let settings = DestinationSettings(name: "comms-telegram", url: "tgram://\(token)/-1001234567890")

    @Test func parsesChatsTopicsAndRecipients() throws {
        let channel = try ChannelRegistry.channel(for: DestinationSettings(
            name: "t", url: "tgram://bot\(Self.token)/-1001234567890:42/@heraldnews", recipients: ["987654"]))
        #expect(channel is TelegramChannel)
        #expect(channel.recipients == ["-1001234567890:42", "@heraldnews", "987654"])
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.map(\.recipient) == channel.recipients)
        let first = try jsonObject(messages[0].payload)
        #expect(first["chat_id"] as? Int == -1001234567890)
        #expect(first["message_thread_id"] as? Int == 42)
        #expect(try jsonObject(messages[1].payload)["chat_id"] as? String == "@heraldnews")
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "https://api.telegram.org/bot\(Self.token)/sendMessage")
    }

    @Test func rejectsBadFormsWithoutRepeatingTheToken() {
        let token = Self.token
        expectRejected(DestinationSettings(name: "t", url: "tgram://\(token)"), secrets: [token], containing: "needs a chat")
        expectRejected(DestinationSettings(name: "t", url: "tgram://AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/123"),
                       secrets: ["AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"], containing: "token")
        expectRejected(DestinationSettings(name: "t", url: "tgram://\(token)/not a chat"), secrets: [token], containing: "chat")
        expectRejected(DestinationSettings(name: "t", url: "tgram://\(token)/123:topic"), secrets: [token], containing: "topic")
        expectRejected(DestinationSettings(name: "t", url: "tgram://\(token)/123", endpoint: "http://h/x?y=1"), secrets: [token])
    }

    @Test func requestShapeAndEndpointOverride() throws {
        var settings = settings
        settings.endpoint = "http://127.0.0.1:8082/tg"
        let channel = try TelegramChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:8082/tg/bot\(Self.token)/sendMessage")
        #expect(request.header("Content-Type") == "application/json")
        let body = try jsonObject(request.body)
        #expect(body["chat_id"] as? Int == -1001234567890)
        #expect(body["text"] as? String == PlainTextRendering.render(Fixture.digest).trimmingCharacters(in: .newlines))
        #expect(body["parse_mode"] == nil)
        #expect((body["link_preview_options"] as? [String: Any])?["is_disabled"] as? Bool == true)
    }

    @Test func longDigestIsSplitAtBoundariesWithinLimitsAndNothingIsLost() throws {
        let channel = try TelegramChannel(settings)
        let digest = Fixture.longDigest(sections: 10, items: 30)
        let messages = channel.render(digest, context: Fixture.context)
        #expect(messages.count > 1)
        let texts = try messages.map { try #require(jsonObject($0.payload)["text"] as? String) }
        #expect(texts.allSatisfy { (1...4096).contains($0.utf16.count) })
        let all = texts.joined(separator: "\n")
        for section in digest.sections {
            for item in section.items {
                #expect(all.contains(item.text))
                #expect(all.contains("(\(item.link!.absoluteString))"))
            }
        }
        // Every word of the plain rendering survives intact and in order.
        let words = texts.flatMap { $0.split(whereSeparator: \.isWhitespace) }
        #expect(words == PlainTextRendering.render(digest).split(whereSeparator: \.isWhitespace))
    }

    @Test func classification() throws {
        let channel = try TelegramChannel(settings)
        let ok = HTTPResponse(status: 200, body: Data(#"{"ok":true,"result":{"message_id":4711,"chat":{"id":-1001234567890},"date":1}}"#.utf8))
        #expect(channel.classify(ok, at: Fixture.now) == .sent(remoteID: "4711"))
        let limited = HTTPResponse(status: 429, body: Data(
            #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#.utf8))
        #expect(channel.classify(limited, at: Fixture.now).retryDelay == .some(35))
        let blocked = channel.classify(HTTPResponse(status: 403, body: Data(
            #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#.utf8)), at: Fixture.now)
        #expect(blocked.isDead && blocked.reason.contains("bot was blocked"))
        let migrated = channel.classify(HTTPResponse(status: 400, body: Data(
            #"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded","parameters":{"migrate_to_chat_id":-1009876}}"#.utf8)),
            at: Fixture.now)
        #expect(migrated.isDead && migrated.reason.contains("-1009876"))
        let unauthorized = channel.classify(HTTPResponse(status: 401, body: Data(
            #"{"ok":false,"error_code":401,"description":"Unauthorized: token \#(Self.token)"}"#.utf8)), at: Fixture.now)
        #expect(unauthorized.isDead && !unauthorized.reason.contains(Self.token))
        checkCommonClassification(channel, secret: Self.token)
    }

    @Test func redaction() throws {
        let channel = try TelegramChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: [Self.token, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"])
        #expect(channel.redacted(request).url == "https://api.telegram.org/bot****/sendMessage")
    }
}
