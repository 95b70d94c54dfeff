import Foundation
import LoopbackSupport
import Synchronization

/// `Tests/Receivers/webhook_receiver.py` on loopback: a Standard Webhooks consumer that verifies
/// signatures with the reference Python library and answers as its plan says.
final class WebhookReceiver: Sendable {
    /// One request as the receiver logged it.
    struct Request: Decodable, Hashable {
        var t: Double
        var path: String
        var id: String?
        var verified: Bool
        var outcome: Outcome

        /// A status, or a step such as `reset`, `slow:3` or `429:1`.
        enum Outcome: Decodable, Hashable, CustomStringConvertible {
            case status(Int)
            case step(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let status = try? container.decode(Int.self) { self = .status(status) } else { self = .step(try container.decode(String.self)) }
            }

            var description: String {
                switch self {
                case .status(let status): String(status)
                case .step(let step): step
                }
            }
        }
    }

    let port: Int
    let log: URL
    private let running: ReceiverScript

    static let script = ReceiverScript.path("webhook_receiver.py")

    /// Starts a receiver; `plan` maps paths (with query) to their successive replies.
    init(secret: String? = nil, plan: [String: [String]] = [:], delayMilliseconds: Int = 0) async throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString).jsonl")
        var arguments = ["--log", log.path, "--plan", String(decoding: try JSONEncoder().encode(plan), as: UTF8.self),
                         "--delay-ms", String(delayMilliseconds)]
        if let secret { arguments += ["--secret", secret] }
        running = try await ReceiverScript(Self.script, arguments, setup: "is `python3 -m pip install standardwebhooks` done?")
        port = running.port
    }

    /// The base URL, e.g. `http://127.0.0.1:PORT`.
    var base: String { "http://127.0.0.1:\(port)" }

    /// Every request logged so far, in arrival order.
    func requests() throws -> [Request] {
        guard let data = FileManager.default.contents(atPath: log.path) else { return [] }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Request.self, from: Data($0)) }
    }

    /// The requests to `path`.
    func requests(to path: String) throws -> [Request] { try requests().filter { $0.path == path } }
}
