import Foundation

/// A report plugin: turns a run's snapshot into a digest.
///
/// Put each plugin in `plugins/<Name>/`, then run `make plugins`. Herald runs plugins in a separate
/// process, so a plugin that crashes or hangs fails only its own run.
///
/// ```swift
/// import ReportKit
///
/// public struct AwardCount: ReportPlugin {
///     public struct Options: Decodable, Sendable { public var period: ReportPeriod = .month }
///     public static let name = "award-count"
///     public static let version = "1.0.0"
///     public static let summary = "How many awards were made last period."
///     public init() {}
///     public func report(_ context: ReportContext<Options>) throws -> Digest {
///         let window = context.calendar.lastComplete(context.options.period, before: context.logicalTime)
///         let count = context.snapshot.awards.filter { window.contains($0.awardDate) }.count
///         return count == 0 ? .empty : Digest(title: "\(count) awards in \(window.label)")
///     }
/// }
/// ```
///
/// - Important: Write diagnostics to standard error, never to standard output: standard output
///   carries the plugin protocol, and anything else written there fails the run.
public protocol ReportPlugin: Sendable {
    /// The plugin's options, decoded from the job file's `options:` mapping.
    /// Use ``NoOptions`` when there are none. Missing keys should fall back to defaults.
    associatedtype Options: Decodable & Sendable

    /// The stable name jobs refer to in `plugin:`, e.g. `funding-summary`.
    static var name: String { get }
    /// The plugin's version, shown by `herald plugins`.
    static var version: String { get }
    /// One line on what the plugin reports, shown by `herald plugins`.
    static var summary: String { get }

    /// Creates the plugin; called once per plugin-host process.
    init()

    /// Builds the digest for one run. Return ``Digest/empty`` when there is nothing to post;
    /// throw (preferably a ``ReportError``) when the run cannot produce a correct digest.
    func report(_ context: ReportContext<Options>) throws -> Digest
}

/// The options type of a plugin that takes none; any `options:` mapping is accepted and ignored.
public struct NoOptions: Decodable, Sendable, Hashable {
    /// Creates empty options.
    public init() {}
}

/// An error a plugin throws to fail its run with a clear message.
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short machine-readable code, e.g. `bad-option` or `missing-data`.
    public var code: String
    /// What went wrong, for the operator.
    public var message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// "code: message".
    public var description: String { "\(code): \(message)" }
}
