@testable import Channels
import Foundation
import ReportKit
import Testing

@Suite struct BlueskyPostTests {
    @Test func facetsPointAtTheirTextByUTF8Bytes() throws {
        let digest = SocialFixture.digest(items: 24)
        let posts = BlueskyPost.thread(digest, langs: ["en-GB"], keyTime: 0)
        #expect(posts.count > 1)
        let urls = digest.sections.flatMap { $0.items.compactMap { $0.link?.absoluteString } } + digest.links.map(\.url.absoluteString)
        var linked: [String] = []
        for post in posts {
            #expect(PostLength.graphemes(post.text) <= 300 && post.text.utf8.count <= 3000)
            let bytes = Array(post.text.utf8)
            for facet in post.facets {
                let slice = try #require(String(bytes: bytes[facet.index.byteStart..<facet.index.byteEnd], encoding: .utf8))
                let feature = try #require(facet.features.first)
                if let uri = feature.uri {
                    linked.append(uri)
                    #expect(slice == BlueskyPost.display(uri))
                    #expect(feature.type == "app.bsky.richtext.facet#link")
                } else {
                    #expect(feature.type == "app.bsky.richtext.facet#tag")
                    #expect(slice == "#" + (feature.tag ?? ""))
                }
            }
        }
        #expect(linked == urls, "every link, once, in order, with its whole address")
        let tags = posts.flatMap { $0.facets.compactMap { $0.features.first?.tag } }
        #expect(tags == digest.hashtags)
    }

    @Test func longLinksShowShortened() {
        #expect(BlueskyPost.display("https://www.example.org/") == "example.org")
        #expect(BlueskyPost.display("https://example.org/a/b") == "example.org/a/b")
        let long = BlueskyPost.display("https://www.example.org/grants/2026/spring-round/award-details")
        #expect(long == "example.org/grants/2026/sprin…")
        #expect(long.count == 30)
    }

    @Test func recordKeysAreStableTIDsNearTheLogicalTime() throws {
        let time: Int64 = 1_763_800_000_000_000
        let key = BlueskyPost.recordKey(keyTime: time, deliveryKey: "k_abc-0")
        #expect(key == BlueskyPost.recordKey(keyTime: time, deliveryKey: "k_abc-0"))
        #expect(key != BlueskyPost.recordKey(keyTime: time, deliveryKey: "k_abc-1"))
        #expect(key.count == 13)
        let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")
        #expect(key.allSatisfy { alphabet.contains($0) })
        #expect("234567abcdefghij".contains(key.first!))
        var value: UInt64 = 0
        for character in key { value = value << 5 | UInt64(alphabet.firstIndex(of: character)!) }
        let micros = Int64(value >> 10)
        #expect(micros >= time && micros < time + 1_000_000)
    }

    @Test func timestampsAreRFC3339InUTC() {
        #expect(BlueskyChannel.timestamp(Date(timeIntervalSince1970: 1_709_164_800.5)) == "2024-02-29T00:00:00.500Z")
        #expect(BlueskyChannel.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }
}
