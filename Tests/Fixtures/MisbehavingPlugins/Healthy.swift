import Foundation
import ReportKit

/// Echoes its options and the snapshot's record counts; optionally sleeps or waits for a file first.
public struct Healthy: ReportPlugin {
    /// `{"echo": "text", "sleepMilliseconds": 20, "waitForFile": "/path", "fail": "reason"}`, all optional.
    public struct Options: Decodable, Sendable {
        public var echo: String?
        public var sleepMilliseconds: Int?
        /// When set, the run goes on only once this file exists (for at most two minutes): a test holds a run open
        /// for exactly as long as it needs, however slow the machine, instead of guessing a duration.
        public var waitForFile: String?
        /// When set, the plugin throws a `ReportError` with this message instead of reporting.
        public var fail: String?
    }

    public static let name = "healthy"
    public static let version = "1.0.0"
    public static let summary = "Test plugin: echoes its options and the snapshot's counts."

    public init() {}

    public func report(_ context: ReportContext<Options>) throws -> Digest {
        if let milliseconds = context.options.sleepMilliseconds, milliseconds > 0 {
            usleep(useconds_t(milliseconds) * 1000)
        }
        if let gate = context.options.waitForFile {
            let giveUp = ContinuousClock.now + .seconds(120)
            while !FileManager.default.fileExists(atPath: gate), ContinuousClock.now < giveUp { usleep(10_000) }
        }
        if let reason = context.options.fail {
            throw ReportError(code: "asked-to-fail", message: reason)
        }
        let snapshot = context.snapshot
        FileHandle.standardError.write(Data("healthy: reporting for \(context.job)\n".utf8))
        return Digest(
            title: "healthy \(context.job)",
            summary: context.options.echo ?? "",
            sections: [
                Digest.Section(title: "counts", items: [
                    Digest.Item("organisations \(snapshot.organisations.count)"),
                    Digest.Item("awards \(snapshot.awards.count)"),
                    Digest.Item("suppliers \(snapshot.suppliers.count)"),
                    Digest.Item("milestones \(snapshot.milestones.count)"),
                    Digest.Item("statistics \(snapshot.statistics.count)"),
                ]),
                Digest.Section(title: "context", items: [
                    Digest.Item("zone \(context.timeZone.identifier)"),
                    Digest.Item("logical \(context.logicalTime.timeIntervalSince1970)"),
                    Digest.Item("previous \(context.previousSuccessfulRun.map { "\($0.timeIntervalSince1970)" } ?? "none")"),
                ]),
            ])
    }
}
