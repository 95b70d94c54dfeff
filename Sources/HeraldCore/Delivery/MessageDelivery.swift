import Channels
import Foundation
import ReportKit

/// What happened to one run's message at one destination.
public struct DeliveryResult: Sendable {
    /// What happened.
    public enum Outcome: Sendable {
        /// Sent; `where` says where it went (a file path, a remote id).
        case sent(String)
        /// It had been sent before, and was not sent again.
        case alreadySent(String)
        /// It could not be sent.
        case failed(String)
    }

    /// The destination's name.
    public var destination: String
    /// What happened.
    public var outcome: Outcome

    /// Whether the message is at the destination (now or before).
    public var isDelivered: Bool {
        if case .failed = outcome { return false }
        return true
    }
}

/// Delivers a digest to a job's destinations.
public struct MessageDelivery: Sendable {
    let configuration: HeraldConfiguration

    /// Creates a delivery over `configuration`'s destinations.
    public init(configuration: HeraldConfiguration) {
        self.configuration = configuration
    }

    /// Sends `digest` to every destination of `job`; an empty digest sends nothing.
    public func deliver(_ digest: Digest, job: JobDefinition, logicalTime: Date) -> [DeliveryResult] {
        guard !digest.isEmpty else { return [] }
        return job.destinations.map { name in
            guard let destination = configuration.destination(named: name) else {
                return DeliveryResult(destination: name, outcome: .failed("destination is not configured"))
            }
            do {
                let address = try DestinationAddress(destination.url)
                switch address.kind {
                case .file:
                    let path = FileChannel.relativePath(job: job.name, logicalTime: logicalTime, destination: name)
                    switch try FileChannel.deliver(PlainTextRendering.render(digest), to: address.folder(home: configuration.home),
                                                   relativePath: path) {
                    case .written(let url): return DeliveryResult(destination: name, outcome: .sent(url.path))
                    case .alreadyPresent(let url): return DeliveryResult(destination: name, outcome: .alreadySent(url.path))
                    }
                }
            } catch let error as DestinationAddressError {
                return DeliveryResult(destination: name, outcome: .failed(error.message))
            } catch {
                return DeliveryResult(destination: name, outcome: .failed(configuration.redact("\(error)")))
            }
        }
    }
}
