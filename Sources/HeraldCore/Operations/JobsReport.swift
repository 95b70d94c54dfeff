import Foundation
import Scheduling
import Store

/// `herald jobs`: each job with its plugin, schedule, zone, destinations, next fire and last run.
public enum JobsReport {
    /// One row per job.
    public struct Row: Sendable {
        /// The job's name.
        public var job: String
        /// Its plugin.
        public var plugin: String
        /// Its cron expression.
        public var schedule: String
        /// Its zone.
        public var timeZone: String
        /// Its destinations.
        public var destinations: [String]
        /// The next fire after now, RFC 3339 in the job's zone.
        public var next: String
        /// The last recorded run: "2014-03-03T09:00:00+00:00 succeeded", or "never".
        public var lastRun: String
    }

    /// The rows, reading run history from the state store when it exists.
    public static func rows(_ configuration: HeraldConfiguration, now: Date = Date()) async throws -> [Row] {
        let store = FileManager.default.fileExists(atPath: configuration.statePath.path)
            ? try SQLiteStore(path: configuration.statePath.path) : nil
        defer { try? store?.close() }
        var rows: [Row] = []
        for job in configuration.jobs {
            let next = job.schedule.nextFire(after: now, in: job.timeZone).map { RFC3339.format($0, in: job.timeZone) } ?? "never"
            var last = "never"
            if let run = try await store?.lastRun(job: job.name) {
                last = "\(RFC3339.format(run.logicalTime, in: job.timeZone)) \(run.state.rawValue)"
                if let detail = run.detail, run.state == .failed || run.state == .skipped { last += ": \(detail)" }
            }
            rows.append(Row(job: job.name, plugin: job.plugin, schedule: job.schedule.description,
                            timeZone: job.timeZoneName, destinations: job.destinations, next: next,
                            lastRun: configuration.redact(last)))
        }
        return rows
    }
}
