import Foundation
import Testing

@testable import Store

struct OutboxRateLimitTests {
    @Test func rateLimitsSurviveARestart() async throws {
        try await withStorePath { path in
            do {
                let store = try SQLiteStore(path: path)
                try await store.setRateLimit(
                    RateLimitState(destination: "discord", bucket: "abc123", blockedUntil: Fixture.t0 + 30,
                                   remaining: 0, limit: 5, resetAt: Fixture.t0 + 30, updatedAt: Fixture.t0)
                )
                try await store.setRateLimit(
                    RateLimitState(destination: "slack", blockedUntil: Fixture.t0 + 60, updatedAt: Fixture.t0)
                )
                try store.close()
            }
            let store = try SQLiteStore(path: path)
            let discord = try await store.rateLimits(destination: "discord")
            #expect(
                discord == [
                    RateLimitState(destination: "discord", bucket: "abc123", blockedUntil: Fixture.t0 + 30,
                                   remaining: 0, limit: 5, resetAt: Fixture.t0 + 30, updatedAt: Fixture.t0)
                ]
            )
            #expect(discord.first?.isBlocked(at: Fixture.t0 + 29) == true)
            #expect(discord.first?.isBlocked(at: Fixture.t0 + 30) == false)
            #expect(try await store.rateLimits(destination: nil).map(\.destination) == ["discord", "slack"])
        }
    }

    @Test func settingAgainReplacesAndExpiredStatesAreCleared() async throws {
        try await withStore { store, _ in
            try await store.setRateLimit(
                RateLimitState(destination: "d", blockedUntil: Fixture.t0 + 10, remaining: 0, updatedAt: Fixture.t0)
            )
            try await store.setRateLimit(
                RateLimitState(destination: "d", blockedUntil: nil, remaining: 4, limit: 5, resetAt: Fixture.t0 + 20,
                               updatedAt: Fixture.t0 + 1)
            )
            #expect(try await store.rateLimits(destination: "d").map(\.remaining) == [4])
            try await store.setRateLimit(
                RateLimitState(destination: "e", blockedUntil: Fixture.t0 + 5, updatedAt: Fixture.t0)
            )
            try await store.setRateLimit(RateLimitState(destination: "f", blockedUntil: nil, updatedAt: Fixture.t0))

            #expect(try await store.clearExpiredRateLimits(at: Fixture.t0 + 5) == 2)  // e (expired) and f (empty)
            #expect(try await store.rateLimits(destination: nil).map(\.destination) == ["d"])
            #expect(try await store.clearExpiredRateLimits(at: Fixture.t0 + 19) == 0)
            try await store.clearRateLimit(destination: "d", bucket: "")
            #expect(try await store.rateLimits(destination: nil).isEmpty)
        }
    }
}
