import Foundation
import Logging
import PluginHost
import Synchronization

/// A loaded configuration with its logger: what every `herald` command starts from.
public struct HeraldRuntime: Sendable {
    /// The validated configuration.
    public let configuration: HeraldConfiguration
    /// Warnings found while loading.
    public let warnings: [Diagnostic]
    /// The logger; secrets from the configuration are scrubbed from everything it prints.
    public let logger: Logger

    /// Loads the configuration at `path` and sets up logging to standard error.
    public static func load(configPath: String, logLevel: Logger.Level = .info) throws(ConfigurationError) -> HeraldRuntime {
        // A write to a pipe or socket whose reader has gone (a plugin process that died, a peer that closed)
        // must fail with EPIPE, not kill the process. CurlKit also ignores SIGPIPE, but only once it sends.
        _ = signal(SIGPIPE, SIG_IGN)
        let (configuration, warnings) = try ConfigurationLoader().load(URL(fileURLWithPath: configPath))
        Secrets.shared.add(configuration.secrets)
        LogSetup.bootstrapOnce(level: logLevel)
        return HeraldRuntime(configuration: configuration, warnings: warnings, logger: Logger(label: "herald"))
    }

    /// Runs `body` with a started plugin pool, and shuts the pool down afterwards.
    public func withPluginPool<T: Sendable>(workers: Int? = nil, _ body: (PluginPool) async throws -> T) async throws -> T {
        let pool = PluginPool(
            configuration: PluginPoolConfiguration(
                executable: configuration.plugins.executable, size: workers ?? configuration.plugins.workers,
                defaultDeadline: .seconds(configuration.plugins.timeout)),
            logger: logger)
        do {
            try await pool.start()
            let result = try await body(pool)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}

/// Every secret substituted into any configuration loaded by this process, for the log scrubber.
final class Secrets: Sendable {
    static let shared = Secrets()
    private let values = Mutex<Set<String>>([])

    func add(_ secrets: Set<String>) { values.withLock { $0.formUnion(secrets) } }
    var all: Set<String> { values.withLock { $0 } }
}

enum LogSetup {
    private static let done = Mutex(false)

    /// Logging can be bootstrapped once per process; commands that load config twice (reload) must not try again.
    static func bootstrapOnce(level: Logger.Level) {
        let first = done.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return RedactingLogHandler(wrapping: handler, secrets: Secrets.shared)
        }
    }
}
