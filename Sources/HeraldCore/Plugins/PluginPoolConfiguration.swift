import Foundation

/// How a ``PluginPool`` runs its plugin-host children.
public struct PluginPoolConfiguration: Sendable {
    /// The plugin-host executable, normally `herald-plugins` next to `herald`.
    public var executable: URL
    /// Arguments passed to the executable.
    public var arguments: [String]
    /// How many children to keep running; also the most runs that execute at once.
    public var size: Int
    /// The time a run may take when the caller gives no deadline.
    public var defaultDeadline: Duration
    /// The time a child has to start and send its `hello`.
    public var startTimeout: Duration
    /// The time a run may wait for a free child before it fails as unavailable.
    public var queueTimeout: Duration
    /// The delay before the first respawn of a failed child; it doubles with each further failure
    /// of the same slot and returns to this value after a run completes there.
    public var respawnBackoffBase: Duration
    /// The longest delay between respawns.
    public var respawnBackoffMax: Duration
    /// How long a crashing child may take to finish writing its backtrace, even past a deadline,
    /// before it is killed; also how long to wait for its output to drain after it exits.
    public var backtraceGrace: Duration
    /// How many of a child's most recent standard-error lines a failure carries as detail.
    public var stderrTailLines: Int
    /// Variables set in each child's environment, over those Herald itself was started with.
    ///
    /// The default sets `SWIFT_BACKTRACE` so that a crashing plugin prints a short, symbolicated
    /// backtrace of the crashed thread to standard error (tens of milliseconds in a debug build)
    /// instead of trying to be interactive or dumping registers and every loaded image.
    public var environment: [String: String]

    /// The default `SWIFT_BACKTRACE` value for children.
    public static let defaultBacktraceSetting =
        "enable=yes,interactive=no,color=no,symbolicate=fast,output-to=stderr,threads=crashed,registers=none,images=none"

    /// Creates a configuration; every parameter but the executable has a default fit for the daemon.
    public init(
        executable: URL,
        arguments: [String] = [],
        size: Int = 2,
        defaultDeadline: Duration = .seconds(60),
        startTimeout: Duration = .seconds(10),
        queueTimeout: Duration = .seconds(600),
        respawnBackoffBase: Duration = .milliseconds(100),
        respawnBackoffMax: Duration = .seconds(30),
        backtraceGrace: Duration = .seconds(5),
        stderrTailLines: Int = 60,
        environment: [String: String] = ["SWIFT_BACKTRACE": PluginPoolConfiguration.defaultBacktraceSetting]
    ) {
        self.executable = executable
        self.arguments = arguments
        self.size = max(1, size)
        self.defaultDeadline = defaultDeadline
        self.startTimeout = startTimeout
        self.queueTimeout = queueTimeout
        self.respawnBackoffBase = respawnBackoffBase
        self.respawnBackoffMax = respawnBackoffMax
        self.backtraceGrace = backtraceGrace
        self.stderrTailLines = max(1, stderrTailLines)
        self.environment = environment
    }

    /// The delay before respawning a slot that has failed `failures` times in a row (from 1).
    func respawnDelay(afterFailures failures: Int) -> Duration {
        let doublings = min(max(failures - 1, 0), 30)
        let delay = respawnBackoffBase * (1 << doublings)
        return min(delay, respawnBackoffMax)
    }
}
