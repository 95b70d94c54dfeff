import Channels
import Foundation
import Gathering
import Scheduling

/// The daemon's configuration: `etc/herald.yaml` plus every job in `schedules/`, validated and typed.
public struct HeraldConfiguration: Sendable {
    /// The config file it was read from.
    public var file: URL
    /// Herald's home: relative paths in configuration resolve against it.
    public var home: URL
    /// The zone for jobs that do not name one.
    public var timeZone: TimeZone
    /// The SQLite state file.
    public var statePath: URL
    /// Where jobs live (`schedules/` beside `etc/`).
    public var schedulesDirectory: URL
    /// Data sources, in configuration order.
    public var sources: [SourceDefinition]
    /// Destinations, in configuration order.
    public var destinations: [DestinationDefinition]
    /// Jobs, by name order.
    public var jobs: [JobDefinition]
    /// How report plugins are run.
    public var plugins: PluginSettings
    /// Daemon behaviour.
    public var daemon: DaemonSettings
    /// Values substituted from `${env:}` and `${file:}`: never to be printed.
    public var secrets: Set<String>

    /// The destination called `name`.
    public func destination(named name: String) -> DestinationDefinition? { destinations.first { $0.name == name } }
    /// The job called `name`.
    public func job(named name: String) -> JobDefinition? { jobs.first { $0.name == name } }

    /// `text` with every secret replaced by `****`.
    public func redact(_ text: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "****") }
    }
}

/// How report plugins run: a pool of `herald-plugins` processes.
public struct PluginSettings: Sendable {
    /// The plugin host executable; by default `herald-plugins` beside the `herald` executable.
    public var executable: URL
    /// How many plugin-host processes run at once.
    public var workers: Int
    /// How long a plugin may take before its run fails and its process is replaced.
    public var timeout: TimeInterval
}

/// Daemon behaviour.
public struct DaemonSettings: Sendable {
    /// Runs allowed at once across all jobs.
    public var maxConcurrentRuns: Int
    /// On SIGTERM, how long running jobs may take to finish before they are recorded as interrupted.
    public var shutdownGrace: TimeInterval
    /// Sends allowed at once across all destinations.
    public var maxConcurrentSends: Int
    /// The first retry waits up to this long (full jitter); each further one up to twice as long as the last.
    public var retryBase: TimeInterval
    /// No retry waits longer than this, unless the service asked for longer.
    public var retryCap: TimeInterval
    /// A PEM file of CA certificates to trust instead of the system's (private or test servers); TLS
    /// verification itself is never turned off.
    public var caBundle: URL?
}

/// A named destination: its settings, the channel that sends to it, and how it is dispatched.
public struct DestinationDefinition: Sendable {
    /// The name jobs refer to.
    public var name: String
    /// The URL, endpoint, secret and recipients (inline and from `recipients_file:`), substitutions applied:
    /// holds secrets, so never print it.
    public var settings: DestinationSettings
    /// The channel made from the settings at load time (so a bad URL is a config error, not a failed send).
    public var channel: any Channel
    /// Concurrency, rate, maximum age and timeout.
    public var policy: DeliveryPolicy
    /// Where the destination is declared.
    public var position: SourcePosition

    /// The service URL (may hold secrets).
    public var url: String { settings.url }
}

/// What to do with a fire while the same job is still running.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable {
    /// Record the fire as skipped.
    case skip
    /// Run it when the running one finishes.
    case queue
}

/// One job from `schedules/<name>.yaml`.
public struct JobDefinition: Sendable {
    /// The job's name: its file name without `.yaml`.
    public var name: String
    /// The job file.
    public var file: URL
    /// The report plugin's name.
    public var plugin: String
    /// When it fires.
    public var schedule: CronExpression
    /// The zone its schedule and report periods are read in.
    public var timeZone: TimeZone
    /// The zone's name as configured (Foundation may report `UTC` as `GMT`).
    public var timeZoneName: String
    /// The plugin's options as a JSON object.
    public var options: Data
    /// Destination names, in order.
    public var destinations: [String]
    /// Which missed fires to run after downtime.
    public var catchUp: CatchUpPolicy
    /// How far back missed fires are still worth running.
    public var catchUpWindow: TimeInterval
    /// What to do when a fire comes while the previous run is still going.
    public var overlap: OverlapPolicy
    /// Where `plugin:` is, for errors about the plugin.
    public var pluginPosition: SourcePosition
    /// Where `options:` is (or the file start), for errors about options.
    public var optionsPosition: SourcePosition
    /// The job's own email templates (`email_template_html:`, `email_template_text:`), read and checked;
    /// nil for the built-in layouts. Passed to channels in ``RenderContext/templates``.
    public var templates: MessageTemplates? = nil
}
