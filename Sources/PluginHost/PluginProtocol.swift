import Foundation

/// The JSON-lines protocol between Herald and a plugin-host child process.
///
/// Each message is one JSON object on one line. Herald writes ``PluginRequest``s to the child's
/// standard input; the child writes exactly one ``PluginResponse`` per request, with the same `id`,
/// to its standard output, and one unsolicited `hello` (id 0) when it starts. Standard error is
/// free-form log text. Every message carries `version`; a peer refuses a version it does not speak.
public enum PluginProtocol {
    /// The protocol version this build speaks.
    public static let version = 1

    /// The id of the child's unsolicited `hello`; requests use ids from 1.
    public static let helloID: UInt64 = 0

    /// Encodes a message as one line: compact JSON followed by `\n`.
    ///
    /// Dates use Foundation's default (seconds since 2001 as a number) because it round-trips
    /// exactly; an ISO 8601 string would drop sub-second precision from logical times.
    public static func encodeLine(_ message: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(message)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Decodes one line (without its `\n`).
    public static func decodeLine<Message: Decodable>(_ type: Message.Type, from line: Data) throws -> Message {
        try JSONDecoder().decode(type, from: line)
    }
}

/// A plugin as the host describes it: what `herald plugins` lists.
public struct PluginDescription: Sendable, Hashable, Codable {
    /// The stable name jobs refer to, e.g. `funding-summary`.
    public var name: String
    /// The plugin's version.
    public var version: String
    /// One line on what it reports.
    public var summary: String

    /// Creates a description.
    public init(name: String, version: String, summary: String) {
        self.name = name
        self.version = version
        self.summary = summary
    }
}

/// Everything a child needs to run one plugin once.
public struct ReportRequest: Sendable, Hashable, Codable {
    /// The plugin's ``PluginDescription/name``.
    public var plugin: String
    /// The job's name.
    public var job: String
    /// The fire time the run stands for.
    public var logicalTime: Date
    /// The job's IANA zone identifier, e.g. `Europe/London`.
    public var timeZone: String
    /// The job's `options:` mapping, decoded by the plugin into its `Options` type.
    public var options: JSONValue
    /// The logical time of the job's previous successful run, if any.
    public var previousSuccessfulRun: Date?
    /// The run's data, written by ``SnapshotFile/write(_:to:)``; the file must exist until the run ends.
    public var snapshot: SnapshotHandle

    /// Creates a request.
    public init(plugin: String, job: String, logicalTime: Date, timeZone: String, options: JSONValue = .emptyObject,
                previousSuccessfulRun: Date? = nil, snapshot: SnapshotHandle) {
        self.plugin = plugin
        self.job = job
        self.logicalTime = logicalTime
        self.timeZone = timeZone
        self.options = options
        self.previousSuccessfulRun = previousSuccessfulRun
        self.snapshot = snapshot
    }
}

/// Asks the child to decode `options` for `plugin` without running it (used by `herald check`).
public struct ValidateRequest: Sendable, Hashable, Codable {
    /// The plugin's name.
    public var plugin: String
    /// The options to decode.
    public var options: JSONValue

    /// Creates a request.
    public init(plugin: String, options: JSONValue) {
        self.plugin = plugin
        self.options = options
    }
}

/// The child's first line: which protocol it speaks and which plugins it holds.
public struct HelloMessage: Sendable, Hashable, Codable {
    /// The child's process id, for log correlation.
    public var pid: Int32
    /// The plugins linked into the child, in registry order.
    public var plugins: [PluginDescription]

    /// Creates a hello.
    public init(pid: Int32, plugins: [PluginDescription]) {
        self.pid = pid
        self.plugins = plugins
    }
}

/// A request that the child answered with an error rather than a result.
public struct PluginFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why the request failed, as a stable string.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The code as written on the wire and in logs, e.g. `bad-options`.
        public var rawValue: String
        /// Creates a code; prefer the named constants.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw value.
        public var description: String { rawValue }

        /// No plugin of that name is linked into the host.
        public static let unknownPlugin = Code(rawValue: "unknown-plugin")
        /// The options did not decode into the plugin's `Options`; ``PluginFailure/path`` says where.
        public static let badOptions = Code(rawValue: "bad-options")
        /// The plugin threw; ``PluginFailure/pluginCode`` holds a `ReportError`'s code.
        public static let pluginThrew = Code(rawValue: "plugin-threw")
        /// The snapshot file could not be read or did not match its hash.
        public static let badSnapshot = Code(rawValue: "bad-snapshot")
        /// The request was malformed (bad zone, undecodable line, wrong version).
        public static let badRequest = Code(rawValue: "bad-request")
    }

    /// Why the request failed.
    public var code: Code
    /// What went wrong, for the operator.
    public var message: String
    /// The plugin's own code when it threw a `ReportError`, e.g. `missing-data`.
    public var pluginCode: String?
    /// For ``Code/badOptions``: the coding path of the offending option, e.g. `["period"]` (array indices as digits).
    public var path: [String]?

    /// Creates a failure.
    public init(code: Code, message: String, pluginCode: String? = nil, path: [String]? = nil) {
        self.code = code
        self.message = message
        self.pluginCode = pluginCode
        self.path = path
    }

    /// "code: message".
    public var description: String { "\(code): \(message)" }
}
