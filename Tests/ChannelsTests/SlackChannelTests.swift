import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct SlackChannelTests {
    static let token = "XXXXXXXXXXXXXXXXXXXXXXXX"
    let settings = DestinationSettings(name: "comms-slack", url: "slack://T000/B000/\(token)")

    @Test func parsesAppriseAndRawForms() throws {
        for url in ["slack://T000/B000/\(Self.token)", "slack://herald@T000/B000/\(Self.token)",
                    "https://hooks.slack.com/services/T000/B000/\(Self.token)"] {
            let channel = try ChannelRegistry.channel(for: DestinationSettings(name: "s", url: url))
            #expect(channel is SlackChannel)
            #expect(channel.recipients == ["T000/B000"])
            let message = try #require(channel.render(Fixture.digest, context: Fixture.context).first)
            #expect(try channel.request(for: message, key: Fixture.key, context: Fixture.attempt).url
                == "https://hooks.slack.com/services/T000/B000/\(Self.token)")
        }
        let gov = try SlackChannel(DestinationSettings(name: "s", url: "slack://T000/B000/\(Self.token)?mode=gov-hook"))
        let message = try #require(gov.render(Fixture.digest, context: Fixture.context).first)
        #expect(try gov.request(for: message, key: Fixture.key, context: Fixture.attempt).url.hasPrefix("https://hooks.slack-gov.com/services/"))
    }

    @Test func rejectsBadFormsWithoutRepeatingTheToken() {
        let token = Self.token
        expectRejected(DestinationSettings(name: "s", url: "slack://T000/\(token)"), secrets: [token], containing: "three tokens")
        expectRejected(DestinationSettings(name: "s", url: "slack://T000/B000/\(token)/#general"), secrets: [token])
        expectRejected(DestinationSettings(name: "s", url: "slack://T000/B000/\(token)!"), secrets: [token], containing: "letters and digits")
        expectRejected(DestinationSettings(name: "s", url: "slack://T000/B000/\(token)?mode=bot"), secrets: [token])
        expectRejected(DestinationSettings(name: "s", url: "slack://T000/B000/\(token)", recipients: ["#x"]), secrets: [token])
        expectRejected(DestinationSettings(name: "s", url: "https://example.org/services/T/B/\(token)"), secrets: [token])
    }

    @Test func endpointOverride() throws {
        var settings = settings
        settings.endpoint = "http://127.0.0.1:8080/slack"
        let channel = try SlackChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "http://127.0.0.1:8080/slack/services/T000/B000/\(Self.token)")
    }

    @Test func requestShapeIsBlockKit() throws {
        let channel = try SlackChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/json; charset=utf-8")
        #expect(request.headers.count == 1)
        let body = try jsonObject(request.body)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks[0]["type"] as? String == "header")
        #expect((blocks[0]["text"] as? [String: Any])?["type"] as? String == "plain_text")
        #expect((blocks[0]["text"] as? [String: Any])?["text"] as? String == Fixture.digest.title)
        let texts = blocks.dropFirst().compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(texts.contains("21 awards to date, 14 to SMEs, £1m of support"))
        #expect(texts.contains("*Top recipients*\n• Knowsley Youth Mutual: £93,000 <https://example.org/knowsley>\n• Spiral Health CIC: £18,927.50"))
        #expect(texts.contains("#mutuals #publicservices"))
        #expect(texts.contains("*Sources*\n• <https://example.org/data|360Giving data>"))
        let fallback = try #require(body["text"] as? String)
        #expect(fallback.contains("Knowsley Youth Mutual"))
        #expect(body["unfurl_links"] as? Bool == false)
    }

    @Test func escapesMrkdwnAndMovesALongTitleOutOfTheHeader() throws {
        let title = String(repeating: "Long title & more ", count: 10)
        let channel = try SlackChannel(settings)
        let digest = Digest(title: title, summary: "a <b> & c")
        let body = try jsonObject(#require(channel.render(digest, context: Fixture.context).first).payload)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks[0]["type"] as? String == "section")
        let first = try #require((blocks[0]["text"] as? [String: Any])?["text"] as? String)
        #expect(first.hasPrefix("*Long title &amp; more"))
        #expect((blocks[1]["text"] as? [String: Any])?["text"] as? String == "a &lt;b&gt; &amp; c")
    }

    @Test func longDigestIsSplitWithinLimitsAndNothingIsLost() throws {
        let channel = try SlackChannel(settings)
        let digest = Fixture.longDigest(sections: 20, items: 40)
        let messages = channel.render(digest, context: Fixture.context)
        #expect(messages.count > 1)
        #expect(messages.enumerated().allSatisfy { $0.element.part == $0.offset && $0.element.partCount == messages.count })
        var all = ""
        for message in messages {
            let body = try jsonObject(message.payload)
            let blocks = try #require(body["blocks"] as? [[String: Any]])
            #expect(blocks.count <= 50)
            var total = 0
            for block in blocks {
                let text = try #require((block["text"] as? [String: Any])?["text"] as? String)
                #expect(utf16(text) <= (block["type"] as? String == "header" ? 150 : 3000))
                total += utf16(text)
                all += text + "\n"
            }
            #expect(total <= SlackChannel.textPerMessage)
            #expect(utf16(body["text"] as? String) <= 40_000)
        }
        for section in digest.sections {
            for item in section.items {
                let escaped = item.text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                #expect(all.contains(escaped))
                #expect(all.contains(item.link!.absoluteString))
            }
        }
    }

    @Test func aSingleHugeItemIsCutIntoSectionsNotTruncated() throws {
        let channel = try SlackChannel(settings)
        let sentence = "This sentence about a mutual is part of a very long item. "
        let huge = String(repeating: sentence, count: 120)
        let digest = Digest(title: "T", sections: [Digest.Section(title: "S", items: [Digest.Item(huge)])])
        let texts = try channel.render(digest, context: Fixture.context).flatMap { message in
            try #require(jsonObject(message.payload)["blocks"] as? [[String: Any]]).compactMap {
                ($0["text"] as? [String: Any])?["text"] as? String
            }
        }
        #expect(texts.allSatisfy { utf16($0) <= 3000 })
        let words = texts.joined(separator: " ").split(whereSeparator: \.isWhitespace).filter { $0 != "•" && $0 != "*S*" && $0 != "T" }
        #expect(words == huge.split(whereSeparator: \.isWhitespace))
    }

    @Test func classification() throws {
        let channel = try SlackChannel(settings)
        #expect(channel.classify(HTTPResponse(status: 200, body: Data("ok".utf8)), at: Fixture.now) == .sent(remoteID: nil))
        for code in ["invalid_token", "channel_not_found", "channel_is_archived", "no_service"] {
            let verdict = channel.classify(HTTPResponse(status: code == "channel_is_archived" ? 410 : 404, body: Data(code.utf8)), at: Fixture.now)
            #expect(verdict.isDead)
            #expect(verdict.reason.contains("gone") && verdict.reason.contains(code))
        }
        let invalidToken = channel.classify(HTTPResponse(status: 403, body: Data("invalid_token".utf8)), at: Fixture.now)
        #expect(invalidToken.isDead && invalidToken.reason.contains("gone"))
        let payload = channel.classify(HTTPResponse(status: 400, body: Data("invalid_blocks".utf8)), at: Fixture.now)
        #expect(payload.isDead && payload.reason.contains("invalid_blocks"))
        #expect(channel.classify(HTTPResponse(status: 500, body: Data("rollup_error".utf8)), at: Fixture.now).retryDelay == .some(nil))
        #expect(!channel.deduplicatesByKey)
        checkCommonClassification(channel, secret: Self.token)
    }

    @Test func redaction() throws {
        let channel = try SlackChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: [Self.token])
        #expect(channel.redacted(request).url == "https://hooks.slack.com/services/T000/B000/****")
    }
}
