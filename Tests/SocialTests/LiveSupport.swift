import Channels
import CurlKit
import Foundation
import LoopbackSupport
import ReportKit
import Synchronization
import Testing

/// Runs `body` with a transport over a real libcurl client, shut down afterwards.
func withTransport<T>(_ body: (CurlTransport) async throws -> T) async throws -> T {
    let client = CurlClient()
    let transport = CurlTransport(client: client, options: TransferOptions(connectTimeout: .seconds(5), timeout: .seconds(10)))
    do {
        let result = try await body(transport)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Sessions kept in memory, as the state store keeps them: opaque sealed bytes per destination.
final class MemorySessions: ChannelSessionStore {
    private let saved = Mutex<[String: Data]>([:])

    func session(for destination: String) async throws -> Data? { saved.withLock { $0[destination] } }
    func saveSession(_ session: Data?, for destination: String) async throws { saved.withLock { $0[destination] = session } }
    var all: [String: Data] { saved.withLock { $0 } }
}

/// Plays the dispatcher for one thread: parts in order, each replying to the remote id of the one before, each
/// tried until it is not `retry` (at most `attempts` times). Returns every report, in order.
func sendThread(_ channel: any Channel, _ messages: [ChannelMessage], via transport: any ChannelTransport,
                sessions: (any ChannelSessionStore)? = nil, key: String = "k_test", attempts: Int = 3) async -> [SendReport] {
    var reports: [SendReport] = []
    var remoteIDs: [String] = []
    for message in messages {
        for attempt in 1...attempts {
            let context = RequestContext(now: Date(), previousRemoteID: remoteIDs.last, rootRemoteID: remoteIDs.first,
                                         sessions: sessions, attempt: attempt)
            let report = await channel.send(message, key: "\(key)-\(message.part)", context: context, via: transport)
            reports.append(report)
            if case .sent(let id) = report.verdict {
                remoteIDs.append(id ?? "")
                break
            }
            if case .retry = report.verdict { continue }
            return reports
        }
    }
    return reports
}

extension SendReport {
    var remoteID: String? { if case .sent(let id) = verdict { id } else { nil } }
    var isSent: Bool { if case .sent = verdict { true } else { false } }
    var retryDelay: TimeInterval? { if case .retry(let after, _) = verdict { after } else { nil } }
    var reason: String {
        switch verdict {
        case .sent: ""
        case .retry(_, let reason), .dead(let reason), .unknown(let reason): reason
        }
    }
}

extension RenderContext {
    static let social = RenderContext(job: "ten-years-on", logicalTime: SocialFixture.logicalTime, runID: "7")
}
