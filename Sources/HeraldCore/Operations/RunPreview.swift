import Channels
import CurlKit
import Foundation
import ReportKit
import Store

/// What `herald preview` shows: exactly what each destination of a job would receive, sending nothing.
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
        /// For tools: the digest and every request (method, URL, headers, body), secrets redacted.
        public var json: String
    }

    /// Produces the digest and renders it for `destination` (or every destination of the job).
    public func preview(_ job: JobDefinition, at logicalTime: Date, destination: String?) async throws -> Rendered {
        let configuration = runtime.configuration
        let produced = try await ReportPipeline(configuration: configuration, pool: pool, logger: runtime.logger)
            .produce(job, at: logicalTime, previousSuccessfulRun: nil)
        var text = ""
        var messages: [PreviewMessage] = []
        if produced.digest.isEmpty {
            text = "(empty digest: job '\(job.name)' has nothing to post for \(logicalTime.ISO8601Format()); nothing would be sent)\n"
        } else {
            var scoped = job
            if let destination { scoped.destinations = [destination] }
            let rendering = await DigestRendering(configuration: configuration).calibrated(for: scoped)
            let deliveries = try rendering.deliveries(produced.digest, job: scoped, logicalTime: logicalTime, runID: "preview")
            for delivery in deliveries {
                guard let channel = rendering.channel(named: delivery.destination) else { continue }
                let key = delivery.key(job: job.name, logicalTime: logicalTime).rawValue
                // A later part replies to ids the service has not issued yet: show where they go.
                let context = delivery.partIndex == 0 ? RequestContext(now: Date()) : RequestContext(
                    now: Date(), previousRemoteID: "{id of part \(delivery.partIndex)}", rootRemoteID: "{id of part 1}")
                let message = ChannelMessage(recipient: delivery.recipient, part: delivery.partIndex,
                                             partCount: delivery.partCount, payload: delivery.payload)
                let wire = channel.redacted(try channel.transmission(for: message, key: key, context: context))
                var heading = "--- \(delivery.destination)"
                if !delivery.recipient.isEmpty { heading += " → \(delivery.recipient)" }
                if delivery.partCount > 1 { heading += " (part \(delivery.partIndex + 1)/\(delivery.partCount))" }
                var entry = PreviewMessage(destination: delivery.destination, recipient: delivery.recipient,
                                           part: delivery.partIndex + 1, parts: delivery.partCount, key: key, kind: "")
                switch wire {
                case .file(let path, let contents):
                    let body = String(decoding: contents, as: UTF8.self)
                    text += "\(heading): \(path)\n\(body)"
                    (entry.kind, entry.path, entry.body) = ("file", path, body)
                case .http(let request):
                    let body = String(decoding: request.body, as: UTF8.self)
                    text += "\(heading): \(request.method) \(request.url)\n\(body)\n"
                    (entry.kind, entry.method, entry.url, entry.body) = ("http", request.method, request.url, body)
                    entry.headers = request.headers.map { [$0.name, $0.value] }
                case .mail(let mail):
                    let body = String(decoding: mail.message, as: UTF8.self)
                    text += "\(heading): SMTP \(mail.url) from \(mail.from) to \(mail.recipients.joined(separator: ", "))\n\(body)\n"
                    (entry.kind, entry.url, entry.from, entry.to, entry.body) = ("mail", mail.url, mail.from, mail.recipients, body)
                }
                messages.append(entry)
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
        var messages: [PreviewMessage]
    }

    /// One delivery as it would go on the wire; the fields of its kind (`file`, `http`, `mail`) are set.
    struct PreviewMessage: Encodable {
        var destination: String
        var recipient: String
        var part: Int
        var parts: Int
        var key: String
        var kind: String
        var path: String?
        var method: String?
        var url: String?
        var headers: [[String]]?
        var from: String?
        var to: [String]?
        var body: String?
    }
}
