import Channels
import Foundation
import Gathering
import Scheduling
import Yams

/// Loads and validates `etc/herald.yaml` and `schedules/*.yaml`, reporting every problem at once.
public struct ConfigurationLoader: Sendable {
    /// The environment `${env:NAME}` reads from.
    public var environment: [String: String]
    /// The directory paths are shown relative to in diagnostics.
    public var displayBase: URL

    /// Creates a loader.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                displayBase: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.environment = environment
        self.displayBase = displayBase
    }

    static let topKeys = ["home", "timezone", "state", "sources", "destinations", "plugins", "daemon"]
    static let jobKeys = ["plugin", "schedule", "timezone", "options", "destinations", "catch_up", "catch_up_window",
                          "overlap", "description"] + emailTemplateKeys

    /// Reads the configuration; throws ``ConfigurationError`` listing every error found.
    /// Warnings alone do not fail; they are returned beside the configuration.
    public func load(_ file: URL) throws(ConfigurationError) -> (HeraldConfiguration, [Diagnostic]) {
        let file = file.standardizedFileURL
        let shown = display(file)
        var home = file.deletingLastPathComponent().deletingLastPathComponent()
        var reader = ConfigReader(substitution: ConfigSubstitution(environment: environment, home: home))
        guard let root = reader.document(at: file, displayPath: shown) else {
            throw ConfigurationError(diagnostics: reader.diagnostics)
        }
        let top = reader.mapping(root, file: shown, allowed: Self.topKeys, what: "herald.yaml")
        if let h = reader.string(top["home"]?.value, file: shown, what: "home") {
            home = resolve(h, against: file.deletingLastPathComponent())
            reader.substitution.home = home
        }
        let (zone, zoneName) = timeZone(top["timezone"]?.value, file: shown, reader: &reader)
            ?? (TimeZone(identifier: "Europe/London")!, "Europe/London")
        let state = reader.mapping(top["state"]?.value, file: shown, allowed: ["sqlite"], what: "state")
        let statePath = reader.string(state["sqlite"]?.value, file: shown, what: "state.sqlite")
            .map { resolve($0, against: home) } ?? home.appendingPathComponent("var/state.sqlite")

        let sources = readSources(top["sources"]?.value, file: shown, home: home, reader: &reader)
        let destinations = readDestinations(top["destinations"]?.value, file: shown, home: home, reader: &reader)
        let plugins = readPlugins(top["plugins"]?.value, file: shown, home: home, reader: &reader)
        let daemon = readDaemon(top["daemon"]?.value, file: shown, home: home, reader: &reader)

        let schedules = home.appendingPathComponent("schedules")
        var jobs: [JobDefinition] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: schedules.path)) ?? []
        if names.isEmpty {
            reader.warning(shown, nil, "no jobs: \(display(schedules))/ has no .yaml files")
        }
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let url = schedules.appendingPathComponent(name)
            if let job = readJob(url, defaultZone: (zone, zoneName), destinations: destinations, reader: &reader) { jobs.append(job) }
        }
        // A message may quote a value that came from ${env:} or ${file:} (a path, a URL): scrub them all.
        let secrets = reader.secrets.sorted { $0.count > $1.count }
        let diagnostics = reader.diagnostics.map { diagnostic -> Diagnostic in
            var scrubbed = diagnostic
            scrubbed.message = secrets.reduce(diagnostic.message) { $0.replacingOccurrences(of: $1, with: "****") }
            return scrubbed
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { throw ConfigurationError(diagnostics: diagnostics) }
        let configuration = HeraldConfiguration(
            file: file, home: home, timeZone: zone, statePath: statePath, schedulesDirectory: schedules,
            sources: sources, destinations: destinations, jobs: jobs, plugins: plugins, daemon: daemon,
            secrets: reader.secrets)
        return (configuration, diagnostics.sorted())
    }

    func display(_ url: URL) -> String {
        let base = displayBase.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).standardizedFileURL
            : base.appendingPathComponent(path).standardizedFileURL
    }

    private func readPlugins(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> PluginSettings {
        let fields = reader.mapping(node, file: file, allowed: ["executable", "workers", "timeout"], what: "plugins")
        let executable = reader.string(fields["executable"]?.value, file: file, what: "executable")
            .map { resolve($0, against: home) } ?? PluginSettings.defaultExecutable
        let workers = reader.integer(fields["workers"]?.value, file: file, what: "workers", range: 1...64) ?? 2
        let timeout = duration(fields["timeout"]?.value, file: file, what: "timeout", reader: &reader) ?? 60
        return PluginSettings(executable: executable, workers: workers, timeout: timeout)
    }

    private func readDaemon(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> DaemonSettings {
        let fields = reader.mapping(node, file: file, allowed: ["max_concurrent_runs", "shutdown_grace", "max_concurrent_sends",
                                                                "retry_base", "retry_cap", "ca_bundle"], what: "daemon")
        let retryBase = duration(fields["retry_base"]?.value, file: file, what: "retry_base", reader: &reader) ?? 10
        let retryCap = duration(fields["retry_cap"]?.value, file: file, what: "retry_cap", reader: &reader) ?? 3600
        if retryBase <= 0 || retryCap < retryBase {
            reader.error(file, fields["retry_base"]?.value ?? fields["retry_cap"]?.value ?? node,
                         "retry_base must be longer than 0s and no longer than retry_cap")
        }
        return DaemonSettings(
            maxConcurrentRuns: reader.integer(fields["max_concurrent_runs"]?.value, file: file,
                                              what: "max_concurrent_runs", range: 1...256) ?? 4,
            shutdownGrace: duration(fields["shutdown_grace"]?.value, file: file, what: "shutdown_grace", reader: &reader) ?? 30,
            maxConcurrentSends: reader.integer(fields["max_concurrent_sends"]?.value, file: file,
                                               what: "max_concurrent_sends", range: 1...1024) ?? 32,
            retryBase: retryBase, retryCap: retryCap,
            caBundle: reader.string(fields["ca_bundle"]?.value, file: file, what: "ca_bundle").map { resolve($0, against: home) })
    }

    /// A `timezone:` value and its name as written; nil (with a diagnostic when it is not an IANA zone) otherwise.
    func timeZone(_ node: Node?, file: String, reader: inout ConfigReader) -> (TimeZone, String)? {
        guard let node, let name = reader.string(node, file: file, what: "timezone") else { return nil }
        guard let zone = TimeZone(identifier: name) else {
            reader.error(file, node, "unknown time zone '\(name)' (use an IANA name such as Europe/London)")
            return nil
        }
        return (zone, name)
    }

    func duration(_ node: Node?, file: String, what: String, reader: inout ConfigReader) -> TimeInterval? {
        guard let text = reader.string(node, file: file, what: what) else { return nil }
        do {
            return try ConfigDuration(text).seconds
        } catch {
            reader.error(file, node, "\(what): '\(text)' is not a duration (e.g. 90s, 15m, 24h, 7d)")
            return nil
        }
    }
}

extension PluginSettings {
    /// `herald-plugins` in the directory of the running executable: both are built into the same
    /// products folder, so a build of one is found by the other without configuration.
    static var defaultExecutable: URL {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("herald-plugins")
    }
}
