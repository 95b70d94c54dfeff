@testable import Channels
import Foundation
import ReportKit
import Testing

@Suite struct SocialThreadTests {
    @Test func shortDigestIsOnePostWithoutNumbering() {
        let posts = XChannel.posts(Digest(title: "Funding update", summary: "£1.2m to 3 mutuals", hashtags: ["Mutuals"]))
        #expect(posts == ["Funding update\n\n£1.2m to 3 mutuals\n\n#Mutuals"])
    }

    @Test(arguments: [5, 12, 40])
    func longDigestsThreadWithinEachLimitKeepingEverything(items: Int) {
        let digest = SocialFixture.digest(items: items)
        let platforms: [(String, [String], (String) -> Int, Int)] = [
            ("x", XChannel.posts(digest), { PostLength.x($0) }, 280),
            ("mastodon", SocialThread(limit: 500) { PostLength.mastodon($0) }.posts(digest), { PostLength.mastodon($0) }, 500),
            ("bluesky", BlueskyChannel.posts(digest), { PostLength.graphemes($0) }, 300),
        ]
        for (name, posts, measure, limit) in platforms {
            #expect(posts.count > 1, "\(name): \(items) items should need a thread")
            for (index, post) in posts.enumerated() {
                #expect(measure(post) <= limit, "\(name) part \(index + 1) counts \(measure(post))")
                #expect(post.hasSuffix("\n\n\(index + 1)/\(posts.count)"), "\(name) part \(index + 1) is numbered")
            }
            let joined = posts.joined(separator: "\n")
            for marker in SocialFixture.markers(digest) {
                #expect(joined.components(separatedBy: marker + " ").count == 2, "\(name): \(marker) appears exactly once")
            }
            for tag in digest.hashtags { #expect(joined.contains("#" + tag), "\(name) keeps #\(tag)") }
            // No cut inside a word, URL or hashtag: every token of a part is a token of the uncut text.
            let uncut = SocialThread(limit: 1 << 30) { _ in 0 }.posts(digest)[0]
            let urls = digest.sections.flatMap { $0.items.compactMap { $0.link?.absoluteString } } + digest.links.map(\.url.absoluteString)
            let whole = Set(uncut.split(whereSeparator: \.isWhitespace).map(String.init) + urls.map { BlueskyPost.display($0) })
            for (index, post) in posts.enumerated() {
                let body = post.dropLast("\n\n\(index + 1)/\(posts.count)".count)
                for token in body.split(whereSeparator: \.isWhitespace) { #expect(whole.contains(String(token)), "\(name): \(token)") }
            }
        }
    }

    @Test func xAndMastodonKeepEveryURLWhole() {
        let digest = SocialFixture.digest(items: 30)
        let urls = digest.sections.flatMap { $0.items.compactMap { $0.link?.absoluteString } }
        for posts in [XChannel.posts(digest), SocialThread(limit: 500) { PostLength.mastodon($0) }.posts(digest)] {
            let tokens = Set(posts.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) })
            for url in urls { #expect(tokens.contains(url)) }
        }
    }

    @Test func aSingleItemLongerThanAPostIsCutAtSentences() {
        let sentence = "The Mutuals Support Programme helped this organisation grow. "
        let digest = Digest(title: "One long item", sections: [Digest.Section(title: "", items: [
            Digest.Item(String(repeating: sentence, count: 12) + "End."),
        ])])
        let posts = XChannel.posts(digest)
        #expect(posts.count > 2)
        // The title is a unit of its own; the item is cut only at sentence ends.
        for post in posts.dropFirst().dropLast() {
            let body = post[..<post.range(of: "\n\n", options: .backwards)!.lowerBound]
            #expect(body.hasSuffix("."), "cut at a sentence end: …\(body.suffix(20))")
        }
    }
}
