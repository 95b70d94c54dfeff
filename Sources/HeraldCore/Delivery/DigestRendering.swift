import Channels
import Foundation
import ReportKit
import Store

/// Turns a run's digest into the deliveries of each destination of its job: what goes into the outbox.
public struct DigestRendering: Sendable {
    let configuration: HeraldConfiguration

    /// Creates a rendering over `configuration`'s destinations.
    public init(configuration: HeraldConfiguration) {
        self.configuration = configuration
    }

    /// A destination named by a job but not configured (caught by `herald check`; possible after a reload).
    public struct MissingDestination: Error, Sendable, CustomStringConvertible {
        /// The destination's name.
        public var name: String
        /// The job naming it.
        public var job: String

        public var description: String { "delivery: job '\(job)' names destination '\(name)', which is not configured" }
    }

    /// Every message of every destination of `job`, in destination order, each thread's parts in order.
    public func deliveries(_ digest: Digest, job: JobDefinition, logicalTime: Date, runID: String) throws(MissingDestination) -> [NewDelivery] {
        let context = RenderContext(job: job.name, logicalTime: logicalTime, runID: runID, templates: job.templates)
        var result: [NewDelivery] = []
        for name in job.destinations {
            guard let destination = configuration.destination(named: name) else { throw MissingDestination(name: name, job: job.name) }
            for message in destination.channel.render(digest, context: context) {
                result.append(NewDelivery(destination: name, recipient: message.recipient, partIndex: message.part,
                                          partCount: message.partCount, payload: message.payload))
            }
        }
        return result
    }
}
