import Foundation
import HeraldCore
import Logging
import PluginHost
import ReportKit

/// Locating the plugin-host executables, and building pools and requests for the pool tests.
enum PluginPoolFixtures {
    /// The build's products folder: the test runner lives there (…/debug/<Package>PackageTests.xctest),
    /// so search upwards from it; fall back to the repository's `.build/debug`.
    static let productsDirectory: URL = {
        let starts = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap { $0 }
        for start in starts {
            var url = start.resolvingSymlinksInPath().deletingLastPathComponent()
            while url.path != "/", !url.path.isEmpty {
                if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("herald-test-plugins").path) {
                    return url
                }
                url.deleteLastPathComponent()
            }
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repository.appendingPathComponent(".build/debug")
    }()

    static var testHost: URL { productsDirectory.appendingPathComponent("herald-test-plugins") }
    static var shippedHost: URL { productsDirectory.appendingPathComponent("herald-plugins") }

    /// A pool over the test host with short timings, logging into `recorder`.
    static func pool(size: Int = 2, executable: URL = testHost, recorder: PluginPoolLogRecorder,
                     deadline: Duration = .seconds(20)) -> PluginPool {
        let configuration = PluginPoolConfiguration(
            executable: executable, size: size, defaultDeadline: deadline, startTimeout: .seconds(20),
            queueTimeout: .seconds(60), respawnBackoffBase: .milliseconds(20), respawnBackoffMax: .milliseconds(500))
        return PluginPool(configuration: configuration, logger: recorder.logger(label: "plugin-pool-test"))
    }

    /// A snapshot on disk with 2 awards and 1 milestone.
    static let snapshot: SnapshotHandle = {
        let date = LocalDate(year: 2013, month: 3, day: 1)!
        let awards = (1...2).map { n in
            Award(id: "360G-test-\(n)", title: "Award \(n)", amount: Money(Decimal(1000 * n)), awardDate: date,
                  recipientId: "GB-COH-\(n)", recipientName: "Mutual \(n)")
        }
        let milestones = [Milestone(id: "m1", kind: .programmeLaunched, date: date, title: "Launch")]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-pool-tests-\(getpid())")
        return try! SnapshotFile.write(Snapshot(awards: awards, milestones: milestones), to: directory)
    }()

    static func request(_ plugin: String, job: String = "test-job", options: JSONValue = .emptyObject) -> ReportRequest {
        ReportRequest(plugin: plugin, job: job, logicalTime: Date(timeIntervalSince1970: 1_362_128_400),
                      timeZone: "Europe/London", options: options, snapshot: snapshot)
    }

    /// Runs `healthy` back to back until `traffic` is stopped, counting successes in it as they come and returning
    /// every failure: the proof that a misbehaving plugin in the same pool does not disturb other runs.
    static func healthyTraffic(on pool: PluginPool, counting traffic: Traffic) async -> [String] {
        var failures: [String] = []
        var n = 0
        while !traffic.isStopped {
            n += 1
            do {
                let digest = try await pool.report(request("healthy", job: "traffic-\(n)",
                                                           options: ["echo": "run \(n)", "sleepMilliseconds": 5]))
                if digest.summary == "run \(n)" { traffic.recordSuccess() } else { failures.append("wrong digest \(digest)") }
            } catch {
                failures.append("\(error)")
            }
        }
        return failures
    }
}

/// Healthy runs going on beside a misbehaving one: how many have succeeded so far, and a stop the test sets.
///
/// `@unchecked Sendable` is safe: both values are only touched under `lock`.
final class Traffic: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var succeeded = 0
    var isStopped: Bool { lock.withLock { stopped } }
    var successes: Int { lock.withLock { succeeded } }
    func stop() { lock.withLock { stopped = true } }
    func recordSuccess() { lock.withLock { succeeded += 1 } }
}

/// Keeps every log entry so tests can assert that children's standard error reached the log.
///
/// `@unchecked Sendable` is safe: `storage` is only touched under `lock`.
final class PluginPoolLogRecorder: @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lock = NSLock()
    private var storage: [Entry] = []

    var entries: [Entry] { lock.withLock { storage } }

    func record(_ entry: Entry) { lock.withLock { storage.append(entry) } }

    func logger(label: String) -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    /// Entries whose message contains `text`.
    func entries(containing text: String) -> [Entry] { entries.filter { $0.message.contains(text) } }

    private struct Handler: LogHandler {
        let recorder: PluginPoolLogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            recorder.record(Entry(level: event.level, message: event.message.description,
                                  metadata: merged.mapValues { "\($0)" }))
        }
    }
}
