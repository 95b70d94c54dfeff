import Foundation

/// Why a plugin run (or a `validate`, or starting the pool) failed.
///
/// Failures of the child process (``Code/crashed``, ``Code/timedOut``, ``Code/exited``,
/// ``Code/protocolViolation``) fail only the run the child was serving; the pool replaces the
/// child. The others are clean answers from a healthy child.
public struct PluginRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, as a stable string.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as written on the wire and in logs, e.g. `bad-options`.
        public var rawValue: String
        /// Creates a code; prefer the named constants.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        /// The child died of a signal (a Swift trap is SIGILL on x86_64, SIGTRAP on arm64);
        /// ``PluginRunError/detail`` holds its last standard-error lines with the backtrace.
        public static let crashed = Code(rawValue: "crashed")
        /// The run passed its deadline; the child was killed.
        public static let timedOut = Code(rawValue: "timed-out")
        /// The child exited (for example a plugin called `exit`).
        public static let exited = Code(rawValue: "exited")
        /// The child wrote something that is not the protocol; ``PluginRunError/detail`` holds its first bytes.
        public static let protocolViolation = Code(rawValue: "protocol-violation")
        /// The plugin threw; ``PluginRunError/pluginCode`` holds a `ReportError`'s code.
        public static let pluginFailed = Code(rawValue: "plugin-failed")
        /// The job's options do not decode; ``PluginRunError/optionsPath`` says where.
        public static let badOptions = Code(rawValue: "bad-options")
        /// The request was refused: an unknown zone, or an unreadable snapshot.
        public static let badRequest = Code(rawValue: "bad-request")
        /// No plugin of that name is linked into the plugin host.
        public static let unknownPlugin = Code(rawValue: "unknown-plugin")
        /// No child could serve the run: the pool is not started, shut down, or cannot spawn children.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// The kind of failure.
    public var code: Code
    /// The plugin the run asked for; empty when the failure is not about one plugin.
    public var plugin: String
    /// One line for the operator, naming the plugin and the cause.
    public var message: String
    /// Supporting text: the child's last standard-error lines (with a backtrace after a crash),
    /// or the first bytes of output that broke the protocol.
    public var detail: String
    /// The signal that killed the child, e.g. `SIGILL`, for ``Code/crashed``.
    public var signal: String?
    /// The child's exit status, for ``Code/exited``.
    public var exitStatus: Int32?
    /// The plugin's own error code when it threw a `ReportError`.
    public var pluginCode: String?
    /// For ``Code/badOptions``: the path of the offending option, e.g. `["period"]`.
    public var optionsPath: [String]?

    /// Creates an error.
    public init(code: Code, plugin: String, message: String, detail: String = "", signal: String? = nil,
                exitStatus: Int32? = nil, pluginCode: String? = nil, optionsPath: [String]? = nil) {
        self.code = code
        self.plugin = plugin
        self.message = message
        self.detail = detail
        self.signal = signal
        self.exitStatus = exitStatus
        self.pluginCode = pluginCode
        self.optionsPath = optionsPath
    }

    /// The message, followed by the detail when there is one.
    public var description: String {
        detail.isEmpty ? message : "\(message)\n\(detail)"
    }
}
