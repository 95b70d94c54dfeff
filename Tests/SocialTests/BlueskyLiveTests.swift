import Channels
import CurlKit
import Foundation
import LoopbackSupport
import Testing

/// Bluesky against a PDS stand-in that validates records with the AT Protocol SDK's models, checks facet byte
/// ranges, accepts replies only to records it created, refuses a second record under one key, and limits logins.
@Suite struct BlueskyLiveTests {
    func channel(_ receiver: SocialReceiver) throws -> BlueskyChannel {
        try BlueskyChannel(DestinationSettings(
            name: "comms-bluesky", url: "bluesky://\(SocialReceiver.blueskyHandle):\(SocialReceiver.blueskyPassword)@bsky.social?lang=en-GB",
            endpoint: receiver.base))
    }

    @Test func threadLogsInOnceAndRepliesWithRootAndParent() async throws {
        let receiver = try await SocialReceiver(service: .bluesky)
        let channel = try channel(receiver)
        let sessions = MemorySessions()
        let messages = channel.render(SocialFixture.digest(items: 24), context: .social)
        #expect(messages.count > 2)
        let reports = try await withTransport { await sendThread(channel, messages, via: $0, sessions: sessions) }
        #expect(reports.count == messages.count && reports.allSatisfy { $0.isSent }, "\(reports.map(\.reason))")
        #expect(try receiver.requests(to: SocialReceiver.blueskyCreateSession).count == 1, "one login for the whole thread")
        let posts = try receiver.posts()
        #expect(posts.count == messages.count)
        #expect(posts.first?.replyTo == nil)
        for (previous, post) in zip(posts, posts.dropFirst()) {
            #expect(post.replyTo == previous.id)
            #expect(post.root == posts.first?.id)
        }
        #expect(reports.first?.remoteID == "\(posts[0].id) \(posts[0].cid ?? "")")
        let links = posts.flatMap { $0.facets ?? [] }.flatMap(\.features).compactMap(\.uri)
        #expect(links.count == 25 && links.allSatisfy { $0.hasPrefix("https://") })
        // The stored session is sealed: neither the tokens nor the password appear in what the store holds.
        let sealed = try #require(sessions.all["comms-bluesky"])
        let text = String(decoding: sealed, as: UTF8.self)
        #expect(!text.contains("eyJ") && !text.contains(SocialReceiver.blueskyPassword) && !text.contains(SocialReceiver.blueskyDID))
    }

    @Test func aRestartReusesTheStoredSessionAndAnExpiredTokenIsRefreshedNotLoggedInAgain() async throws {
        let receiver = try await SocialReceiver(service: .bluesky, plan: [SocialReceiver.blueskyCreateRecord: ["ok", "expire"]])
        let sessions = MemorySessions()
        let messages = try channel(receiver).render(SocialFixture.digest(items: 2), context: .social)
        // A new channel is what a restarted daemon has: only the store remembers the session.
        let (before, after) = (try channel(receiver), try channel(receiver))
        let (first, second) = try await withTransport { transport in
            (await before.send(messages[0], key: "k_a", context: RequestContext(sessions: sessions), via: transport),
             await after.send(messages[0], key: "k_b", context: RequestContext(sessions: sessions), via: transport))
        }
        #expect(first.isSent && second.isSent, "\(first.reason) \(second.reason)")
        #expect(try receiver.requests(to: SocialReceiver.blueskyCreateSession).count == 1)
        #expect(try receiver.requests(to: SocialReceiver.blueskyRefreshSession).count == 1)
        #expect(try receiver.requests(to: SocialReceiver.blueskyCreateRecord).map(\.status.code) == [200, 400, 200])
        // A session sealed under another password is useless, so it is ignored and the channel logs in.
        let other = try BlueskyChannel(DestinationSettings(
            name: "comms-bluesky", url: "bluesky://\(SocialReceiver.blueskyHandle):wrong-pass-word-here@bsky.social", endpoint: receiver.base))
        let refused = try await withTransport { await other.send(messages[0], key: "k_c", context: RequestContext(sessions: sessions), via: $0) }
        if case .dead(let reason) = refused.verdict {
            #expect(reason.contains("app password") && !reason.contains("wrong-pass-word-here"))
        } else {
            Issue.record("expected dead, got \(refused.verdict)")
        }
    }

    @Test func aLostReplyIsResentUnderTheSameKeyAndFindsThePostInsteadOfMakingAnother() async throws {
        let receiver = try await SocialReceiver(service: .bluesky, plan: [SocialReceiver.blueskyCreateRecord: ["ok", "lost"]])
        let channel = try channel(receiver)
        let messages = channel.render(SocialFixture.digest(items: 24), context: .social)
        let reports = try await withTransport { await sendThread(channel, Array(messages.prefix(3)), via: $0, sessions: MemorySessions()) }
        // libcurl itself may resend a request whose reused connection closed unanswered; either way the PDS refuses
        // the second record under the same key and the channel finds the first.
        let sent = reports.filter(\.isSent)
        #expect(sent.count == 3, "\(reports.map(\.reason))")
        let posts = try receiver.posts()
        #expect(posts.count == 3, "part 2 was created once, by the attempt whose reply was lost")
        #expect(Set(posts.compactMap(\.rkey)).count == 3)
        #expect(posts[2].replyTo == posts[1].id)
        #expect(sent[1].remoteID == "\(posts[1].id) \(posts[1].cid ?? "")")
        let creates = try receiver.requests(to: SocialReceiver.blueskyCreateRecord)
        #expect(creates.map(\.status.description).contains("lost"))
        // A resend under the same key, even without the attempt count that prompts a lookup first, is refused by the
        // PDS and resolved to the post that exists.
        let again = try await withTransport { transport in
            await channel.send(messages[1], key: "k_test-1", context: RequestContext(previousRemoteID: sent[0].remoteID,
                               rootRemoteID: sent[0].remoteID, sessions: MemorySessions()), via: transport)
        }
        #expect(again.isSent && again.remoteID == sent[1].remoteID, "\(again.verdict)")
        #expect(try receiver.posts().count == 3)
    }

    @Test func rateLimitedWritesWaitForTheReset() async throws {
        let receiver = try await SocialReceiver(service: .bluesky, plan: [SocialReceiver.blueskyCreateRecord: ["429:2"]])
        let channel = try channel(receiver)
        let message = try #require(channel.render(SocialFixture.digest(items: 2), context: .social).first)
        let report = try await withTransport { await channel.send(message, key: "k_rl", context: RequestContext(), via: $0) }
        let delay = try #require(report.retryDelay)
        #expect(delay >= 1 && delay <= 3.5, "\(delay)")
    }
}
