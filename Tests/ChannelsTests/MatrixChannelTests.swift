import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct MatrixChannelTests {
    static let token = "syt_aGVyYWxk_QWxpY2VCb2JDYXJvbA_1a2b3c"
    let settings = DestinationSettings(name: "comms-matrix", url: "matrixs://\(token)@matrix.example.org/!AbCdEf:example.org")

    @Test func parsesRoomsSchemesAndRecipients() throws {
        let channel = try ChannelRegistry.channel(for: DestinationSettings(
            name: "m", url: "matrix://\(Self.token)@localhost:8008/!one:example.org/!two:example.org?msgtype=text",
            recipients: ["!three:example.org"]))
        #expect(channel is MatrixChannel)
        #expect(channel.recipients == ["!one:example.org", "!two:example.org", "!three:example.org"])
        #expect(channel.deduplicatesByKey)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.map(\.recipient) == channel.recipients)
        #expect(try jsonObject(messages[0].payload)["msgtype"] as? String == "m.text")
        let request = try channel.request(for: messages[1], key: Fixture.key, context: Fixture.attempt)
        #expect(request.url == "http://localhost:8008/_matrix/client/v3/rooms/%21two%3Aexample.org/send/m.room.message/\(Fixture.key)")
    }

    @Test func rejectsBadFormsWithoutRepeatingTheToken() {
        let token = Self.token
        expectRejected(DestinationSettings(name: "m", url: "matrixs://bot:\(token)@hs.example/!r:hs.example"), secrets: [token],
                       containing: "access token")
        expectRejected(DestinationSettings(name: "m", url: "matrixs://hs.example/!r:hs.example"), containing: "access token")
        expectRejected(DestinationSettings(name: "m", url: "matrixs://\(token)@hs.example/#room:hs.example"), secrets: [token],
                       containing: "room id")
        expectRejected(DestinationSettings(name: "m", url: "matrixs://\(token)@hs.example"), secrets: [token], containing: "needs a room")
        expectRejected(DestinationSettings(name: "m", url: "matrixs://\(token)@hs.example/room"), secrets: [token])
        expectRejected(DestinationSettings(name: "m", url: "matrixs://\(token)@hs.example/!r:x?msgtype=emote"), secrets: [token])
    }

    @Test func requestShapeAndEndpointOverride() throws {
        var settings = settings
        settings.endpoint = "http://127.0.0.1:8084/mx"
        let channel = try MatrixChannel(settings)
        let messages = channel.render(Fixture.digest, context: Fixture.context)
        #expect(messages.count == 1)
        let request = try channel.request(for: messages[0], key: Fixture.key, context: Fixture.attempt)
        #expect(request.method == "PUT")
        #expect(request.url == "http://127.0.0.1:8084/mx/_matrix/client/v3/rooms/%21AbCdEf%3Aexample.org/send/m.room.message/\(Fixture.key)")
        #expect(request.header("Authorization") == "Bearer \(Self.token)")
        #expect(request.header("Content-Type") == "application/json")
        let body = try jsonObject(request.body)
        #expect(body["msgtype"] as? String == "m.notice")
        #expect(body["format"] as? String == "org.matrix.custom.html")
        let plain = try #require(body["body"] as? String)
        #expect(plain.hasPrefix(Fixture.digest.title + "\n\n" + Fixture.digest.summary))
        #expect(plain.contains("- Knowsley Youth Mutual: £93,000 (https://example.org/knowsley)\n- Spiral Health CIC: £18,927.50"))
        let html = try #require(body["formatted_body"] as? String)
        #expect(html.hasPrefix("<h3>Mutuals Support Programme: funding to date</h3>"))
        #expect(html.contains("<ul><li>Knowsley Youth Mutual: £93,000 (<a href=\"https://example.org/knowsley\">source</a>)</li>"))
        #expect(html.contains("<li><a href=\"https://example.org/data\">360Giving data</a></li></ul>"))
    }

    @Test func longDigestIsSplitUnderTheEventLimitAndNothingIsLost() throws {
        let channel = try MatrixChannel(settings)
        let digest = Fixture.longDigest(sections: 20, items: 60)
        let messages = channel.render(digest, context: Fixture.context)
        #expect(messages.count > 1)
        #expect(messages.allSatisfy { $0.payload.count <= MatrixChannel.contentLimit })
        let bodies = try messages.map { try #require(jsonObject($0.payload)["body"] as? String) }
        let htmls = try messages.map { try #require(jsonObject($0.payload)["formatted_body"] as? String) }
        #expect(htmls.allSatisfy { $0.components(separatedBy: "<ul>").count == $0.components(separatedBy: "</ul>").count })
        let all = bodies.joined(separator: "\n")
        for section in digest.sections {
            for item in section.items { #expect(all.contains(item.text)) }
        }
    }

    @Test func classification() throws {
        let channel = try MatrixChannel(settings)
        let ok = HTTPResponse(status: 200, body: Data(#"{"event_id":"$YUwRidLecu:example.com"}"#.utf8))
        #expect(channel.classify(ok, at: Fixture.now) == .sent(remoteID: "$YUwRidLecu:example.com"))
        let limited = HTTPResponse(status: 429, body: Data(#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500}"#.utf8))
        #expect(channel.classify(limited, at: Fixture.now).retryDelay == .some(2.5))
        let token = channel.classify(HTTPResponse(status: 401, body: Data(#"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}"#.utf8)),
                                     at: Fixture.now)
        #expect(token.isDead && token.reason.contains("M_UNKNOWN_TOKEN"))
        checkCommonClassification(channel, secret: Self.token)
        // Matrix deduplicates by txnId: a timeout after sending is retried with the same key.
        #expect(channel.classify(transportError: "timeout", requestMayHaveBeenSent: true).retryDelay != nil)
    }

    @Test func redaction() throws {
        let channel = try MatrixChannel(settings)
        let request = try channel.request(for: #require(channel.render(Fixture.digest, context: Fixture.context).first),
                                          key: Fixture.key, context: Fixture.attempt)
        checkRedacted(request, channel: channel, secrets: [Self.token])
        #expect(channel.redacted(request).header("Authorization") == "Bearer ****")
    }
}
