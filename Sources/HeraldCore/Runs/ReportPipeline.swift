import CurlKit
import Foundation
import Gathering
import Logging
import PluginHost
import ReportKit

/// The digest a run produced, and the data it was built from.
public struct ProducedDigest: Sendable {
    /// What the plugin returned.
    public var digest: Digest
    /// What gathering accepted and set aside.
    public var gathered: GatherResult
    /// The content hash of the snapshot the plugin read.
    public var snapshotHash: String
}

/// A run's failure, with the stage that failed: gathering, the plugin, or delivery.
public struct RunFailure: Error, Sendable, CustomStringConvertible {
    /// Which stage failed.
    public enum Stage: String, Sendable {
        /// Reading the sources.
        case gathering
        /// Running the report plugin.
        case plugin
        /// Sending the messages.
        case delivery
    }

    /// Which stage failed.
    public var stage: Stage
    /// What went wrong, naming where.
    public var message: String

    /// "stage: message".
    public var description: String { "\(stage.rawValue): \(message)" }
}

/// One run's work from data to digest, shared by `preview`, `trigger` and the daemon: gather the
/// sources, hand the snapshot to the plugin host, and get the digest back.
public struct ReportPipeline: Sendable {
    let configuration: HeraldConfiguration
    let pool: PluginPool
    let logger: Logger

    /// Creates a pipeline over a running plugin pool.
    public init(configuration: HeraldConfiguration, pool: PluginPool, logger: Logger) {
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
    }

    /// Gathers every configured source and runs `job`'s plugin for `logicalTime`.
    ///
    /// A source whose quarantine exceeds its `max_bad_rows` fails the run at the gathering stage: no
    /// digest is built on data that broken. The snapshot's provenance (each source's address, size,
    /// ETag/Last-Modified, fetch time and whether it came from cache) is appended to
    /// `var/snapshots/snapshot-<hash>.provenance.jsonl`, so every posted digest's run, which records
    /// the hash, says what data it was built from.
    public func produce(_ job: JobDefinition, at logicalTime: Date, previousSuccessfulRun: Date?) async throws(RunFailure) -> ProducedDigest {
        let gathered: GatherResult
        do {
            gathered = try await Self.gather(configuration.sources, home: configuration.home)
        } catch {
            throw RunFailure(stage: .gathering, message: "\(error)")
        }
        for entry in gathered.quarantine {
            logger.warning("quarantined record", metadata: ["job": "\(job.name)", "record": "\(entry)"])
        }
        do {
            try gathered.requireWithinLimits()
        } catch {
            throw RunFailure(stage: .gathering, message: "\(error)")
        }
        let handle: SnapshotHandle
        let snapshots = configuration.home.appendingPathComponent("var/snapshots")
        do {
            handle = try SnapshotFile.write(gathered.archive, to: snapshots)
            try SnapshotProvenance(handle: handle, gathered: gathered).append(to: snapshots)
        } catch {
            throw RunFailure(stage: .gathering, message: "cannot write the snapshot: \(error)")
        }
        let options: JSONValue
        do {
            options = try JSONValue(parsing: job.options)
        } catch {
            throw RunFailure(stage: .plugin, message: "\(job.optionsPosition): options are not valid JSON: \(error)")
        }
        let request = ReportRequest(
            plugin: job.plugin, job: job.name, logicalTime: logicalTime, timeZone: job.timeZone.identifier,
            options: options, previousSuccessfulRun: previousSuccessfulRun, snapshot: handle)
        do {
            let digest = try await pool.report(request, deadline: .seconds(configuration.plugins.timeout))
            return ProducedDigest(digest: digest, gathered: gathered, snapshotHash: handle.hash)
        } catch {
            throw RunFailure(stage: .plugin, message: "\(error)")
        }
    }
}

extension ReportPipeline {
    /// Gathers `sources`; remote ones are fetched through a client made for the purpose, with
    /// bodies and parses cached under `var/cache/sources` in Herald's home.
    public static func gather(_ sources: [SourceDefinition], home: URL) async throws -> GatherResult {
        guard sources.contains(where: { $0.url != nil }) else { return try Gatherer.gather(sources) }
        let client = CurlClient(configuration: CurlConfiguration(userAgent: "Herald"))
        let fetcher = SourceFetcher(client: client, cacheDirectory: SourceCache.directory(home: home))
        do {
            let result = try await Gatherer.gather(sources, fetcher: fetcher)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
