import Crypto
import CurlKit
import Foundation

/// A Bluesky login: the tokens `createSession` gave and the account they belong to.
struct BlueskySession: Codable, Sendable, Hashable {
    var accessJwt: String
    var refreshJwt: String
    var did: String
    var handle: String
}

/// Why a session could not be had, as the send's report.
struct BlueskySessionFailure: Error, Sendable {
    var report: SendReport
}

/// Keeps one destination's session: logs in once, refreshes when the access token expires, and keeps the
/// tokens in the state store sealed with a key derived from the app password, so the database never holds
/// them in clear and a restart does not log in again (the PDS allows 30 logins per 5 minutes).
///
/// One login or refresh at a time: sends that find no usable session wait for the one under way.
actor BlueskySessionKeeper {
    private let destination: String
    private let base: String
    private let identifier: String
    private let key: SymmetricKey
    private let password: String
    private var session: BlueskySession?
    private var pending: Task<BlueskySession, any Error>?

    init(destination: String, base: String, identifier: String, password: String) {
        self.destination = destination
        self.base = base
        self.identifier = identifier
        self.password = password
        let material = Data("herald/bluesky-session/v1\u{0}\(identifier)\u{0}\(password)".utf8)
        key = SymmetricKey(data: SHA256.hash(data: material))
    }

    /// The session to post with: the one in memory, else the stored one, else a new login.
    func current(store: (any ChannelSessionStore)?, transport: any ChannelTransport) async throws -> BlueskySession {
        if let session { return session }
        if let stored = try? await store?.session(for: destination), let opened = open(stored) {
            session = opened
            return opened
        }
        return try await exclusively(store: store) { try await self.login(transport: transport) }
    }

    /// A session newer than `stale` (whose access token the PDS refused): refreshed, or a new login when the
    /// refresh token is no longer good either.
    func renewed(after stale: BlueskySession, store: (any ChannelSessionStore)?, transport: any ChannelTransport) async throws
        -> BlueskySession
    {
        if let session, session.accessJwt != stale.accessJwt { return session }
        return try await exclusively(store: store) {
            do {
                return try await self.refresh(stale, transport: transport)
            } catch is RefreshRefused {
                return try await self.login(transport: transport)
            }
        }
    }

    private func exclusively(store: (any ChannelSessionStore)?, _ work: @escaping @Sendable () async throws -> BlueskySession) async throws
        -> BlueskySession
    {
        if let pending { return try await pending.value }
        let task = Task { try await work() }
        pending = task
        defer { pending = nil }
        let fresh = try await task.value
        session = fresh
        if let store {
            do {
                try await store.saveSession(seal(fresh), for: destination)
            } catch {
                // The session still works in memory; the next start logs in again, which is allowed.
            }
        }
        return fresh
    }

    private struct RefreshRefused: Error {}

    private func login(transport: any ChannelTransport) async throws -> BlueskySession {
        let body = JSON.object([("identifier", .string(identifier)), ("password", .string(password))]).data
        let request = HTTPRequest(method: "POST", url: base + "/xrpc/com.atproto.server.createSession",
                                  headers: [HTTPHeader("Content-Type", "application/json")], body: body)
        let response = try await call(request, transport: transport, step: "logging in (createSession)")
        guard response.status == 200 else { throw failure(response, step: "logging in (createSession)") }
        return try decode(response, step: "createSession")
    }

    private func refresh(_ stale: BlueskySession, transport: any ChannelTransport) async throws -> BlueskySession {
        let request = HTTPRequest(method: "POST", url: base + "/xrpc/com.atproto.server.refreshSession",
                                  headers: [HTTPHeader("Authorization", "Bearer \(stale.refreshJwt)")])
        let response = try await call(request, transport: transport, step: "refreshing the session")
        if response.status == 400 || response.status == 401 { throw RefreshRefused() }
        guard response.status == 200 else { throw failure(response, step: "refreshing the session") }
        return try decode(response, step: "refreshSession")
    }

    private func call(_ request: HTTPRequest, transport: any ChannelTransport, step: String) async throws -> HTTPResponse {
        do {
            return try await transport.execute(request)
        } catch {
            // Nothing was posted yet, whatever happened to this request.
            throw BlueskySessionFailure(report: SendReport(verdict: .retry(after: nil, reason: "\(step): \(scrub(error.description))")))
        }
    }

    private func decode(_ response: HTTPResponse, step: String) throws -> BlueskySession {
        guard let session = try? JSONDecoder().decode(BlueskySession.self, from: response.body) else {
            throw BlueskySessionFailure(report: SendReport(
                verdict: .dead(reason: "\(step) answered without accessJwt, refreshJwt, did and handle: is the endpoint a PDS?"),
                status: response.status))
        }
        return session
    }

    private func failure(_ response: HTTPResponse, step: String) -> BlueskySessionFailure {
        let reply = JSONReply.object(response.body)
        let detail = [reply?["error"] as? String, reply?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
        var delay: TimeInterval?
        if response.status == 429 {
            delay = ResponseRules.longest(ResponseRules.retryAfter(response, now: Date()),
                                          RateLimitHeaders.bluesky.untilReset(response, now: Date()))
        }
        var verdict = ResponseRules.verdict(response, now: Date(), serviceError: detail, serviceDelay: delay, scrub: scrub)
        if case .dead(let reason) = verdict, response.status == 401 {
            verdict = .dead(reason: "\(step): Bluesky refused the handle or app password — \(reason)")
        } else if case .retry(let after, let reason) = verdict {
            verdict = .retry(after: after, reason: "\(step): \(reason)")
        }
        let pacing: TimeInterval? = if case .retry(let after, _) = verdict { after } else { nil }
        return BlueskySessionFailure(report: SendReport(verdict: verdict, status: response.status,
                                                        excerpt: scrub(ResponseRules.excerpt(response.body)), pacing: pacing))
    }

    private func scrub(_ text: String) -> String {
        Redaction.scrub(text, secrets: [password] + [session?.accessJwt, session?.refreshJwt].compactMap { $0 })
    }

    /// AES-GCM over the session's JSON; what the state store keeps.
    func seal(_ session: BlueskySession) throws -> Data {
        let plain = try JSONEncoder().encode(session)
        guard let combined = try AES.GCM.seal(plain, using: key).combined else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    /// The session in `sealed`, or nil when it was sealed under another handle or password (or is damaged).
    func open(_ sealed: Data) -> BlueskySession? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return try? JSONDecoder().decode(BlueskySession.self, from: plain)
    }
}
