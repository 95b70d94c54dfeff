import Foundation
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
    private let process: Process
    private let input: Pipe

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Receivers/webhook_receiver.py")

    /// Starts a receiver; `plan` maps paths (with query) to their successive replies.
    init(secret: String? = nil, plan: [String: [String]] = [:], delayMilliseconds: Int = 0) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString).jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script.path, "--log", log.path,
                         "--plan", String(decoding: try JSONEncoder().encode(plan), as: UTF8.self),
                         "--delay-ms", String(delayMilliseconds)]
        if let secret { arguments += ["--secret", secret] }
        process.arguments = arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw ReceiverError("webhook receiver exited before printing its port") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else { throw ReceiverError("unexpected first line: \(text)") }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
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

    struct ReceiverError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
