import Foundation

/// Where channels that log in keep their sessions, so a daemon does not log in for every post or after
/// every restart (Bluesky allows 30 logins per 5 minutes).
///
/// The store keeps opaque bytes per destination. A channel seals what it saves (its tokens are secrets, and
/// the state store must never hold a secret in clear), so the store needs no key.
public protocol ChannelSessionStore: Sendable {
    /// The sealed session saved for `destination`, or nil.
    func session(for destination: String) async throws -> Data?
    /// Saves (or, with nil, forgets) the sealed session of `destination`.
    func saveSession(_ session: Data?, for destination: String) async throws
}
