import Foundation
import LoopbackSupport
import Testing

/// A job posting to Mastodon, Bluesky and X through `herald trigger`, against receivers that enforce what the
/// services enforce: threads in order, a failed part resumed without reposting the ones before, one Bluesky login
/// kept sealed in the state store, and `preview --format json` showing each thread exactly.
@Suite(.serialized) struct SocialDeliveryTests {
    /// A summary long enough to need threads on every platform, with what counting must get right.
    static let summary = (0..<14).map { index in
        "Mutual \(index) 👩🏽‍🔬 in Cymru (Caerdydd) received £\(12_000 + index * 750).50 — e\u{301}quipe ✨ 东京 सहकारी, "
            + "read more at https://www.example.org/grants/2026/awards/\(index)/details-of-the-award?ref=herald today."
    }.joined(separator: " ")

    static func job(_ summary: String) -> String {
        """
        plugin: healthy
        schedule: "@yearly"
        options: { echo: "\(summary)" }
        destinations: [masto, bsky, tweets]
        """
    }

    func home(mastodon: SocialReceiver, bluesky: SocialReceiver, x: SocialReceiver) throws -> TestHome {
        let xURL = "x://\(SocialReceiver.xConsumerKey)/\(SocialReceiver.xConsumerSecret)/\(SocialReceiver.xAccessToken)/\(SocialReceiver.xAccessSecret)"
        return try TestHome(
            jobs: ["social": Self.job(Self.summary)],
            destinations: """
                masto: { url: "mastodon://\(SocialReceiver.mastodonToken)@mastodon.example", endpoint: "\(mastodon.base)", timeout: 5s }
                bsky: { url: "bluesky://\(SocialReceiver.blueskyHandle):\(SocialReceiver.blueskyPassword)@bsky.social", endpoint: "\(bluesky.base)", timeout: 5s }
                tweets: { url: "\(xURL)", endpoint: "\(x.base)", timeout: 5s }
                """,
            daemon: "retry_base: 50ms, retry_cap: 200ms")
    }

    @Test func threadsPostOnceEachAndAFailedPartResumesWhereItStopped() async throws {
        let mastodon = try await SocialReceiver(service: .mastodon)
        let bluesky = try await SocialReceiver(service: .bluesky)
        let x = try await SocialReceiver(service: .x, plan: [SocialReceiver.xTweets: ["ok", "ok", "503"]])
        let home = try home(mastodon: mastodon, bluesky: bluesky, x: x)
        let at = ["--at", "2016-03-03T09:00:00Z", "--config", home.config]
        let (status, output) = try await HeraldProcess.run(["trigger", "social"] + at, in: home.url)
        #expect(status == 0, "\(output)")

        for receiver in [mastodon, bluesky, x] {
            let posts = try receiver.posts()
            #expect(posts.count >= 3, "\(receiver.service): a thread")
            #expect(posts.first?.replyTo == nil)
            for (index, (previous, post)) in zip(posts, posts.dropFirst()).enumerated() {
                #expect(post.replyTo == previous.id, "\(receiver.service) part \(index + 2) replies to part \(index + 1)")
                #expect(post.text.hasSuffix("\(index + 2)/\(posts.count)"))
            }
            #expect(Set(posts.map(\.text)).count == posts.count, "\(receiver.service): no part posted twice")
            let refused = try receiver.requests().filter { ($0.status.code ?? 0) >= 400 && $0.step == nil }
            #expect(refused.isEmpty, "\(receiver.service) refused: \(refused.map { $0.error ?? "" })")
        }
        // X's third part failed once (503); the retry resumed at part 3, and parts 1–2 went once.
        let tweets = try x.requests(to: SocialReceiver.xTweets)
        #expect(tweets.map(\.status.code) == [201, 201, 503] + Array(repeating: 201, count: tweets.count - 3))
        #expect(try x.posts().count == tweets.count - 1)
        #expect(try bluesky.requests(to: SocialReceiver.blueskyCreateSession).count == 1)

        // Nothing in the state store is a credential in clear: not the tokens Bluesky issued, nor any configured secret.
        let state = ["", "-wal"].compactMap { FileManager.default.contents(atPath: home.statePath + $0) }
            .reduce(Data(), +)
        for secret in [SocialReceiver.blueskyPassword, SocialReceiver.mastodonToken, SocialReceiver.xConsumerSecret,
                       SocialReceiver.xAccessSecret, "eyJ"] {
            #expect(state.range(of: Data(secret.utf8)) == nil, "the state store holds \(secret.prefix(6))… in clear")
        }

        // The same logical time again posts nothing; a new one reuses the stored Bluesky session.
        let requestsBefore = try [mastodon, bluesky, x].map { try $0.requests().count }
        let (again, _) = try await HeraldProcess.run(["trigger", "social"] + at, in: home.url)
        #expect(again == 0)
        #expect(try [mastodon, bluesky, x].map { try $0.requests().count } == requestsBefore, "nothing is sent again")
        let counts = try [mastodon, bluesky, x].map { try $0.posts().count }
        // X refuses a post whose text it already has, so the next digest must differ, as a real one would.
        try home.write(Self.job(Self.summary.replacingOccurrences(of: "received", with: "was awarded")), to: "schedules/social.yaml")
        let (later, laterOutput) = try await HeraldProcess.run(
            ["trigger", "social", "--at", "2017-03-03T09:00:00Z", "--config", home.config], in: home.url)
        #expect(later == 0, "\(laterOutput)")
        #expect(try bluesky.requests(to: SocialReceiver.blueskyCreateSession).count == 1, "the session came from the state store")
        #expect(try bluesky.posts().count == counts[1] * 2)
        #expect(try x.posts().count == counts[2] * 2)
    }

    @Test func previewShowsTheExactThreadAndSendsNothing() async throws {
        let mastodon = try await SocialReceiver(service: .mastodon, options: ["--max-characters", "700"])
        let bluesky = try await SocialReceiver(service: .bluesky)
        let x = try await SocialReceiver(service: .x)
        let home = try home(mastodon: mastodon, bluesky: bluesky, x: x)
        let (status, output) = try await HeraldProcess.run(
            ["preview", "social", "--at", "2016-03-03T09:00:00Z", "--format", "json", "--config", home.config], in: home.url)
        #expect(status == 0, "\(output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let messages = try #require(document["messages"] as? [[String: Any]])
        for destination in ["masto", "bsky", "tweets"] {
            let thread = messages.filter { $0["destination"] as? String == destination }
            #expect(thread.count >= 3)
            #expect(thread.map { $0["part"] as? Int } == Array(1...thread.count).map { Optional($0) })
            for part in thread.dropFirst() {
                let body = try #require(part["body"] as? String)
                #expect(body.contains("{id of part") || body.contains("{uri of part"), "\(destination): replies to the part before: \(body)")
            }
        }
        // Mastodon's limit came from the instance (700), so its parts are longer than 500 would allow.
        let mastodonBodies = messages.filter { $0["destination"] as? String == "masto" }.compactMap { $0["body"] as? String }
        #expect(mastodonBodies.count < messages.filter { $0["destination"] as? String == "tweets" }.count)
        #expect(!output.contains(SocialReceiver.mastodonToken) && !output.contains(SocialReceiver.blueskyPassword)
            && !output.contains(SocialReceiver.xAccessSecret) && !output.contains(SocialReceiver.xConsumerSecret))
        #expect(output.contains("Bearer ****"))
        #expect(try mastodon.posts().isEmpty && bluesky.posts().isEmpty && x.posts().isEmpty)
        #expect(try bluesky.requests().isEmpty, "preview never logs in")
    }
}
