import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct TeamsChannelTests {
    static let sig = "KODuebWbDGYFr0z0eu-6Rj8aUKz7108W3wrNJZxFE5A"
    static let host = "prod-161.westeurope.logic.azure.com"
    static let raw = "https://\(host):443/workflows/643e69f83c8944438d68119179a10a64/triggers/manual/paths/invoke"
        + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(sig)"
    let settings = DestinationSettings(name: "comms-teams", url: "teams://\(host)/643e69f83c8944438d68119179a10a64/\(sig)")

    func url(_ channel: any HTTPChannel) throws -> String {
        try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                            key: Fixture.key, context: Fixture.attempt).url
    }

    @Test func parsesShortRawAndPowerAutomateForms() throws {
        let short = try ChannelRegistry.channel(for: settings)
        #expect(short is TeamsChannel)
        #expect(short.recipients == ["643e69f83c8944438d68119179a10a64"])
        #expect(try url(short) == "https://\(Self.host)/workflows/643e69f83c8944438d68119179a10a64/triggers/manual/paths/invoke"
            + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(Self.sig)")
        let raw = try ChannelRegistry.channel(for: DestinationSettings(name: "t", url: Self.raw))
        #expect(raw is TeamsChannel)
        #expect(try url(raw) == Self.raw)
        let automate = try ChannelRegistry.channel(for: DestinationSettings(
            name: "t", url: "workflows://\(Self.host):443/abc123/\(Self.sig)?pa=yes&route=7"))
        #expect(try url(automate) == "https://\(Self.host):443/powerautomate/automations/direct/cu/7/workflows/abc123/triggers/manual/paths/invoke"
            + "?api-version=2022-03-01-preview&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(Self.sig)")
    }

    @Test func rejectsBadFormsWithoutRepeatingTheSignature() {
        let sig = Self.sig
        expectRejected(DestinationSettings(name: "t", url: "teams://\(Self.host)/\(sig)"), secrets: [sig], containing: "WORKFLOW_ID/SIGNATURE")
        expectRejected(DestinationSettings(name: "t", url: "teams://\(Self.host)/wf/\(sig)%21"), secrets: [sig], containing: "signature")
        expectRejected(DestinationSettings(name: "t", url: "https://outlook.office.com/webhook/\(sig)"), secrets: [sig])
        expectRejected(DestinationSettings(name: "t", url: "teams:///wf/\(sig)"), secrets: [sig], containing: "host")
    }

    @Test func requestShapeAndEndpointOverride() throws {
        var settings = DestinationSettings(name: "t", url: Self.raw)
        settings.endpoint = "http://127.0.0.1:8083"
        let channel = try TeamsChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "POST")
        #expect(request.url == Self.raw.replacingOccurrences(of: "https://\(Self.host):443", with: "http://127.0.0.1:8083"))
        #expect(request.header("Content-Type") == "application/json")
        let body = try jsonObject(request.body)
        #expect(body["type"] as? String == "message")
        let attachment = try #require((body["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        let texts = try #require(card["body"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        #expect(texts.first == Fixture.digest.title)
        #expect(texts.contains("- Knowsley Youth Mutual: £93,000 ([source](https://example.org/knowsley))"))
        #expect(texts.contains("- [360Giving data](https://example.org/data)"))
    }

    @Test func longDigestIsSplitWithinTheBudgetAndNothingIsLost() throws {
        let channel = try TeamsChannel(settings)
        let digest = Fixture.longDigest(sections: 10, items: 40)
        let messages = channel.render(digest, context: Fixture.context)
        #expect(messages.count > 1)
        #expect(messages.allSatisfy { $0.payload.count <= TeamsChannel.payloadLimit })
        let texts = try messages.flatMap { message in
            let attachment = try #require((jsonObject(message.payload)["attachments"] as? [[String: Any]])?.first)
            return try #require((attachment["content"] as? [String: Any])?["body"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        }
        for section in digest.sections {
            for item in section.items { #expect(texts.contains { $0.contains(item.text) }) }
        }
    }

    @Test func classification() throws {
        let channel = try TeamsChannel(settings)
        #expect(channel.classify(HTTPResponse(status: 202), at: Fixture.now) == .sent(remoteID: nil))
        #expect(channel.classify(HTTPResponse(status: 200), at: Fixture.now) == .sent(remoteID: nil))
        let expired = channel.classify(HTTPResponse(status: 401, body: Data(
            #"{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated"}}"#.utf8)), at: Fixture.now)
        #expect(expired.isDead && expired.reason.contains("DirectApiAuthorizationRequired"))
        #expect(!channel.deduplicatesByKey)
        checkCommonClassification(channel, secret: Self.sig)
    }

    @Test func redaction() throws {
        let channel = try TeamsChannel(DestinationSettings(name: "t", url: Self.raw))
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: [Self.sig])
        #expect(channel.redacted(request).url.hasSuffix("&sig=****"))
    }
}
