import Channels
import CurlKit
import Foundation
import LoopbackSupport
import Testing

/// Mastodon against a receiver that counts as Mastodon counts, checks the bearer token, remembers
/// Idempotency-Keys and only accepts replies to statuses it issued.
@Suite struct MastodonLiveTests {
    func channel(_ receiver: SocialReceiver, query: String = "") throws -> MastodonChannel {
        try MastodonChannel(DestinationSettings(name: "comms-mastodon", url: "mastodon://\(SocialReceiver.mastodonToken)@mastodon.example\(query)",
                                                endpoint: receiver.base))
    }

    @Test func longDigestPostsAsAThreadEachPartReplyingToTheOneBefore() async throws {
        let receiver = try await SocialReceiver(service: .mastodon)
        let channel = try channel(receiver)
        let messages = channel.render(SocialFixture.digest(items: 30), context: .social)
        #expect(messages.count > 2)
        let reports = try await withTransport { await sendThread(channel, messages, via: $0) }
        #expect(reports.count == messages.count && reports.allSatisfy { $0.isSent }, "\(reports.map(\.reason))")
        let posts = try receiver.posts()
        #expect(posts.count == messages.count)
        #expect(posts.first?.replyTo == nil)
        for (previous, post) in zip(posts, posts.dropFirst()) { #expect(post.replyTo == previous.id) }
        let lengths = try receiver.requests(to: SocialReceiver.mastodonStatuses).compactMap(\.length)
        #expect(lengths.allSatisfy { $0 <= 500 } && lengths.contains { $0 > 400 }, "parts are filled, within 500: \(lengths)")
        for (index, post) in posts.enumerated() { #expect(post.text.hasSuffix("\(index + 1)/\(posts.count)")) }
    }

    @Test func theInstancesOwnLimitIsUsedWhenItAnswers() async throws {
        let wide = try await SocialReceiver(service: .mastodon, options: ["--max-characters", "1000"])
        let narrow = try await SocialReceiver(service: .mastodon, options: ["--no-instance"])
        let (wideChannel, narrowChannel) = (try channel(wide), try channel(narrow))
        let (learnt, fallback) = try await withTransport { transport in
            (await wideChannel.calibrated(via: transport), await narrowChannel.calibrated(via: transport))
        }
        #expect((learnt as? MastodonChannel)?.limit == 1000)
        #expect((fallback as? MastodonChannel)?.limit == 500)
        let digest = SocialFixture.digest(items: 30)
        let longer = try #require(learnt as? MastodonChannel).render(digest, context: .social)
        #expect(longer.count < (fallback as! MastodonChannel).render(digest, context: .social).count)
        let reports = try await withTransport { await sendThread(learnt, longer, via: $0) }
        #expect(reports.allSatisfy { $0.isSent }, "the instance accepts parts up to its own limit: \(reports.map(\.reason))")
        #expect(try wide.requests(to: SocialReceiver.mastodonStatuses).compactMap(\.length).contains { $0 > 500 })
    }

    @Test func aResentRequestWithTheSameKeyDoesNotPostTwice() async throws {
        let receiver = try await SocialReceiver(service: .mastodon, plan: [SocialReceiver.mastodonStatuses: ["lost"]])
        let channel = try channel(receiver)
        let message = try #require(channel.render(SocialFixture.digest(items: 2), context: .social).first)
        let (first, second) = try await withTransport { transport in
            (await channel.send(message, key: "k_same", context: RequestContext(), via: transport),
             await channel.send(message, key: "k_same", context: RequestContext(attempt: 2), via: transport))
        }
        // The lost reply is safe to resend: the instance deduplicates by Idempotency-Key.
        #expect(first.retryDelay == nil && !first.isSent && !first.reason.isEmpty)
        if case .retry = first.verdict {} else { Issue.record("expected retry, got \(first.verdict)") }
        #expect(second.isSent)
        #expect(try receiver.posts().count == 1)
        #expect(try receiver.requests(to: SocialReceiver.mastodonStatuses).map(\.replayed) == [false, true])
    }

    @Test func rateLimitWaitsForTheISOReset() async throws {
        let receiver = try await SocialReceiver(service: .mastodon, plan: [SocialReceiver.mastodonStatuses: ["429:3"]])
        let channel = try channel(receiver)
        let message = try #require(channel.render(SocialFixture.digest(items: 2), context: .social).first)
        let report = try await withTransport { await channel.send(message, key: "k_rl", context: RequestContext(), via: $0) }
        let delay = try #require(report.retryDelay)
        #expect(delay > 0.5 && delay <= 4.5, "X-RateLimit-Reset is 3 s ahead: \(delay)")
        #expect(report.pacing == delay)
    }

    @Test func aBadTokenIsDeadWithoutTheTokenInTheReason() async throws {
        let receiver = try await SocialReceiver(service: .mastodon, options: ["--token", "another-token-entirely"])
        let channel = try channel(receiver)
        let message = try #require(channel.render(SocialFixture.digest(items: 2), context: .social).first)
        let report = try await withTransport { await channel.send(message, key: "k_bad", context: RequestContext(), via: $0) }
        if case .dead(let reason) = report.verdict {
            #expect(reason.contains("401") && !reason.contains(SocialReceiver.mastodonToken))
        } else {
            Issue.record("expected dead, got \(report.verdict)")
        }
        let preview = channel.redacted(try channel.transmission(for: message, key: "k", context: RequestContext()))
        guard case .http(let request) = preview else { return }
        #expect(request.header("Authorization") == "Bearer ****" && request.header("Idempotency-Key") == "k")
    }
}
