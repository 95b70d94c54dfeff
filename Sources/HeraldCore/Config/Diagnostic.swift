import Foundation

/// A problem found in configuration, with where it is: `path:line:column: error: message`,
/// the form editors and CI annotate.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The configuration cannot be used.
        case error
        /// Usable, but probably not what was meant.
        case warning
    }

    /// The file, relative to the current directory when it is below it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// How serious it is.
    public var severity: Severity
    /// What is wrong, never containing a secret's value.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `path:line:column: error: message`.
    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.file, a.line, a.column, a.message) < (b.file, b.line, b.column, b.message)
    }
}

/// Configuration that has errors; `diagnostics` lists every one found, not just the first.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, errors and warnings, in file and line order.
    public var diagnostics: [Diagnostic]

    /// Creates an error.
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
