import Foundation
import Testing

@testable import Store

struct ChannelSessionTests {
    @Test func sessionsSurviveARestartAndCanBeForgotten() async throws {
        let sealed = Data((0..<64).map { UInt8($0 * 7 % 251) })
        try await withStorePath { path in
            do {
                let store = try SQLiteStore(path: path)
                #expect(try await store.channelSession(for: "comms-bluesky") == nil)
                try await store.saveChannelSession(Data([1, 2, 3]), for: "comms-bluesky", at: Fixture.t0)
                try await store.saveChannelSession(sealed, for: "comms-bluesky", at: Fixture.t0 + 5)
                try await store.saveChannelSession(Data([9]), for: "other", at: Fixture.t0)
                try store.close()
            }
            let store = try SQLiteStore(path: path)
            #expect(try await store.channelSession(for: "comms-bluesky") == sealed, "the latest save wins, byte for byte")
            try await store.saveChannelSession(nil, for: "comms-bluesky", at: Fixture.t0 + 10)
            #expect(try await store.channelSession(for: "comms-bluesky") == nil)
            #expect(try await store.channelSession(for: "other") == Data([9]))
        }
    }
}
