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
                          "overlap", "description"]

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
        let daemon = readDaemon(top["daemon"]?.value, file: shown, reader: &reader)

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

    private func readSources(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> [SourceDefinition] {
        guard let node else { return [] }
        var result: [SourceDefinition] = []
        for (key, value) in node.mapping.map({ Array($0) }) ?? [] {
            guard let name = key.string else { continue }
            let fields = reader.mapping(value, file: file, allowed: ["path", "format", "records", "columns", "delimiter"],
                                        what: "source '\(name)'")
            guard let pathNode = fields["path"]?.value else {
                reader.error(file, value, "source '\(name)' needs a path")
                continue
            }
            guard let path = reader.string(pathNode, file: file, what: "path") else { continue }
            let url = resolve(path, against: home)
            if !FileManager.default.fileExists(atPath: url.path) {
                reader.error(file, pathNode, "source '\(name)': file \(display(url)) does not exist")
            }
            let ext = url.pathExtension.lowercased()
            let formatName = reader.string(fields["format"]?.value, file: file, what: "format")
                ?? (ext == "csv" ? "csv" : "records")
            let format: SourceDefinition.Format
            switch formatName {
            case "records": format = .records
            case "360giving": format = .threeSixtyGiving
            case "csv":
                let kindNode = fields["records"]?.value
                guard let kindText = reader.string(kindNode, file: file, what: "records"),
                    let kind = RecordKind(rawValue: kindText)
                else {
                    reader.error(file, kindNode ?? value, "CSV source '\(name)' needs records: one of "
                        + RecordKind.allCases.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                var columns: [String: String] = [:]
                for (header, field) in reader.mapping(fields["columns"]?.value, file: file, allowed: [], what: "columns") {
                    columns[header] = reader.string(field.value, file: file, what: "column '\(header)'")
                }
                let delimiter = reader.string(fields["delimiter"]?.value, file: file, what: "delimiter") ?? ","
                if delimiter.count != 1 { reader.error(file, fields["delimiter"]?.value, "delimiter must be one character") }
                format = .csv(CSVLayout(records: kind, columns: columns, delimiter: delimiter.first ?? ","))
            default:
                reader.error(file, fields["format"]?.value, "unknown format '\(formatName)' (records, 360giving or csv)")
                continue
            }
            result.append(SourceDefinition(name: name, path: url, format: format))
        }
        return result
    }

    private func readDestinations(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> [DestinationDefinition] {
        guard let node else { return [] }
        var result: [DestinationDefinition] = []
        for (key, value) in node.mapping.map({ Array($0) }) ?? [] {
            guard let name = key.string else { continue }
            let fields = reader.mapping(value, file: file, allowed: ["url", "endpoint", "secret", "to", "recipients_file"],
                                        what: "destination '\(name)'")
            guard let urlNode = fields["url"]?.value else {
                reader.error(file, value, "destination '\(name)' needs a url")
                continue
            }
            guard let url = reader.string(urlNode, file: file, what: "url") else { continue }
            do {
                _ = try DestinationAddress(url)
            } catch {
                // The message comes from the parser, which never repeats credentials.
                reader.error(file, urlNode, "destination '\(name)': \(error.message)")
                continue
            }
            let recipients = reader.stringList(fields["to"]?.value, file: file, what: "to")?.map(\.0) ?? []
            let recipientsFile = reader.string(fields["recipients_file"]?.value, file: file, what: "recipients_file")
                .map { resolve($0, against: home) }
            result.append(DestinationDefinition(
                name: name, url: url, endpoint: reader.string(fields["endpoint"]?.value, file: file, what: "endpoint"),
                secret: reader.string(fields["secret"]?.value, file: file, what: "secret"), recipients: recipients,
                recipientsFile: recipientsFile, position: SourcePosition(file: file, node: key)))
        }
        return result
    }

    private func readPlugins(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> PluginSettings {
        let fields = reader.mapping(node, file: file, allowed: ["executable", "workers", "timeout"], what: "plugins")
        let executable = reader.string(fields["executable"]?.value, file: file, what: "executable")
            .map { resolve($0, against: home) } ?? PluginSettings.defaultExecutable
        let workers = reader.integer(fields["workers"]?.value, file: file, what: "workers", range: 1...64) ?? 2
        let timeout = duration(fields["timeout"]?.value, file: file, what: "timeout", reader: &reader) ?? 60
        return PluginSettings(executable: executable, workers: workers, timeout: timeout)
    }

    private func readDaemon(_ node: Node?, file: String, reader: inout ConfigReader) -> DaemonSettings {
        let fields = reader.mapping(node, file: file, allowed: ["max_concurrent_runs", "shutdown_grace"], what: "daemon")
        return DaemonSettings(
            maxConcurrentRuns: reader.integer(fields["max_concurrent_runs"]?.value, file: file,
                                              what: "max_concurrent_runs", range: 1...256) ?? 4,
            shutdownGrace: duration(fields["shutdown_grace"]?.value, file: file, what: "shutdown_grace", reader: &reader) ?? 30)
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
