import Channels
import Foundation
import Store

/// Channel sessions kept in the state store, so a destination that logs in (Bluesky) does so once, not once per
/// send or per restart. What is stored is sealed by the channel.
struct StoredSessions: ChannelSessionStore {
    let store: any OutboxStore

    func session(for destination: String) async throws -> Data? {
        try await store.channelSession(for: destination)
    }

    func saveSession(_ session: Data?, for destination: String) async throws {
        try await store.saveChannelSession(session, for: destination, at: Date())
    }
}
