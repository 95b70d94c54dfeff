import Channels
import Foundation
import ReportKit

/// What `herald preview` shows: exactly what each destination of a job would receive.
public struct RunPreview: Sendable {
    let runtime: HeraldRuntime
    let pool: PluginPool

    /// Creates a preview over a started plugin pool.
    public init(runtime: HeraldRuntime, pool: PluginPool) {
        self.runtime = runtime
        self.pool = pool
    }

    /// The rendered preview.
    public struct Rendered: Sendable {
        /// For people: each destination's message, or a note that the digest is empty.
        public var text: String
        /// For tools: the digest and, per destination, what would be sent.
        public var json: String
    }

    /// Produces the digest and renders it for `destination` (or every destination of the job).
    public func preview(_ job: JobDefinition, at logicalTime: Date, destination: String?) async throws -> Rendered {
        let produced = try await ReportPipeline(configuration: runtime.configuration, pool: pool, logger: runtime.logger)
            .produce(job, at: logicalTime, previousSuccessfulRun: nil)
        let names = destination.map { [$0] } ?? job.destinations
        let configuration = runtime.configuration
        var text = ""
        var messages: [[String: String]] = []
        if produced.digest.isEmpty {
            text = "(empty digest: job '\(job.name)' has nothing to post for \(logicalTime.ISO8601Format()); nothing would be sent)\n"
        } else {
            let body = PlainTextRendering.render(produced.digest)
            for name in names {
                guard let definition = configuration.destination(named: name) else { continue }
                let address = try DestinationAddress(definition.url)
                switch address.kind {
                case .file:
                    let path = address.folder(home: configuration.home)
                        .appendingPathComponent(FileChannel.relativePath(job: job.name, logicalTime: logicalTime,
                                                                         destination: name)).path
                    text += "--- \(name): \(path)\n\(body)"
                    messages.append(["destination": name, "kind": "file", "path": path, "body": body])
                }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let document = PreviewDocument(job: job.name, logicalTime: logicalTime, empty: produced.digest.isEmpty,
                                       digest: produced.digest, snapshot: produced.snapshotHash, messages: messages)
        let json = String(decoding: try encoder.encode(document), as: UTF8.self)
        return Rendered(text: configuration.redact(text), json: configuration.redact(json))
    }

    private struct PreviewDocument: Encodable {
        var job: String
        var logicalTime: Date
        var empty: Bool
        var digest: Digest
        var snapshot: String
        var messages: [[String: String]]
    }
}
