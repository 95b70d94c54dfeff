import Foundation
import ReportKit

/// Runs a report plugin in-process the way the plugin host does, for plugin authors' tests.
///
/// ```swift
/// let digest = try PluginHarness.run(FundingSummary.self, snapshot: snapshot,
///                                    at: "2013-03-01T09:00:00Z", options: #"{"period":"month"}"#)
/// ```
public enum PluginHarness {
    /// Decodes `options` (a JSON object) into the plugin's options as Herald does, and runs it.
    ///
    /// - Parameters:
    ///   - plugin: the plugin type.
    ///   - snapshot: the data to report on.
    ///   - at: the logical time, RFC 3339 (e.g. `2014-03-03T09:00:00Z`).
    ///   - timeZone: the job's zone identifier (default Europe/London).
    ///   - options: the job's options as a JSON object.
    ///   - previousSuccessfulRun: the previous successful run's logical time, if any.
    public static func run<P: ReportPlugin>(
        _ plugin: P.Type, snapshot: Snapshot, at: String, timeZone: String = "Europe/London",
        options: String = "{}", previousSuccessfulRun: Date? = nil
    ) throws -> Digest {
        guard let instant = ISO8601DateFormatter().date(from: at) else {
            throw ReportError(code: "bad-time", message: "'\(at)' is not an RFC 3339 time")
        }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ReportError(code: "bad-zone", message: "'\(timeZone)' is not an IANA zone")
        }
        let decoded = try JSONDecoder().decode(P.Options.self, from: Data(options.utf8))
        let context = ReportContext(job: "test", logicalTime: instant, timeZone: zone, options: decoded,
                                    previousSuccessfulRun: previousSuccessfulRun, snapshot: snapshot)
        return try P().report(context)
    }
}
