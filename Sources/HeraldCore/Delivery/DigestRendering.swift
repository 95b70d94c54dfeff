import Channels
import CurlKit
import Foundation
import ReportKit
import Store

/// Turns a run's digest into the deliveries of each destination of its job: what goes into the outbox.
public struct DigestRendering: Sendable {
    let configuration: HeraldConfiguration
    /// Channels that learnt their service's current limits, by destination; the configured ones otherwise.
    private var calibrated: [String: any Channel] = [:]

    /// Creates a rendering over `configuration`'s destinations.
    public init(configuration: HeraldConfiguration) {
        self.configuration = configuration
    }

    /// This rendering with `job`'s destinations that read their limits from the service (a Mastodon instance's
    /// character limit) asked first; a service that does not answer within a few seconds keeps its defaults.
    public func calibrated(for job: JobDefinition) async -> DigestRendering {
        let learning = job.destinations.compactMap { configuration.destination(named: $0) }.filter { $0.channel.learnsLimits }
        guard !learning.isEmpty else { return self }
        let client = CurlClient(configuration: CurlConfiguration(userAgent: "Herald/1.0", caBundlePath: configuration.daemon.caBundle?.path))
        let transport = CurlTransport(client: client, options: TransferOptions(connectTimeout: .seconds(5), timeout: .seconds(10)))
        var copy = self
        for destination in learning {
            copy.calibrated[destination.name] = await destination.channel.calibrated(via: transport)
        }
        await client.shutdown()
        return copy
    }

    /// The channel that renders for `name`.
    public func channel(named name: String) -> (any Channel)? {
        calibrated[name] ?? configuration.destination(named: name)?.channel
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
            guard let channel = channel(named: name) else { throw MissingDestination(name: name, job: job.name) }
            for message in channel.render(digest, context: context) {
                result.append(NewDelivery(destination: name, recipient: message.recipient, partIndex: message.part,
                                          partCount: message.partCount, payload: message.payload))
            }
        }
        return result
    }
}
