import Foundation
import Gathering
import Yams

/// Reads YAML configuration nodes into values while collecting diagnostics, so that one pass reports
/// every problem — unknown keys, wrong types, failed substitutions — each with its file, line and column.
struct ConfigReader {
    private(set) var diagnostics: [Diagnostic] = []
    var substitution: ConfigSubstitution

    init(substitution: ConfigSubstitution) {
        self.substitution = substitution
    }

    var secrets: Set<String> { substitution.secrets }

    mutating func error(_ file: String, _ node: Node?, _ message: String, columnOffset: Int = 0) {
        let p = node?.position ?? (line: 1, column: 1)
        diagnostics.append(Diagnostic(file: file, line: p.line, column: p.column + columnOffset, message: message))
    }

    mutating func warning(_ file: String, _ node: Node?, _ message: String) {
        let p = node?.position ?? (line: 1, column: 1)
        diagnostics.append(Diagnostic(file: file, line: p.line, column: p.column, severity: .warning, message: message))
    }

    mutating func warning(at position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(file: position.file, line: position.line, column: position.column, severity: .warning,
                                      message: message))
    }

    mutating func error(at position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(file: position.file, line: position.line, column: position.column, message: message))
    }

    /// Parses a whole file; nil (with a diagnostic) when it is missing or not YAML.
    mutating func document(at url: URL, displayPath: String) -> Node? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.append(Diagnostic(file: displayPath, line: 1, column: 1, message: "cannot read the file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(Diagnostic(file: displayPath, line: 1, column: 1, message: "the file is not UTF-8"))
            return nil
        }
        do {
            return try YAMLJSON.compose(text) ?? Node.mapping(Node.Mapping([]))
        } catch {
            diagnostics.append(Diagnostic(file: displayPath, line: error.line, column: error.column, message: error.message))
            return nil
        }
    }

    /// The pairs of a mapping, keyed by name; keys outside `allowed` are reported (with a suggestion).
    mutating func mapping(_ node: Node?, file: String, allowed: [String], what: String) -> [String: (key: Node, value: Node)] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            error(file, node, "\(what) must be a mapping")
            return [:]
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                error(file, key, "keys in \(what) must be strings")
                continue
            }
            if result[name] != nil {
                error(file, key, "duplicate key '\(name)' in \(what)")
                continue
            }
            if !allowed.isEmpty && !allowed.contains(name) {
                let hint = ConfigReader.suggestion(for: name, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(file, key, "unknown key '\(name)' in \(what)\(hint)")
                continue
            }
            result[name] = (key, value)
        }
        return result
    }

    /// A scalar string with `${env:}` / `${file:}` substituted; nil (with a diagnostic) when it is not a scalar.
    mutating func string(_ node: Node?, file: String, what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            error(file, node, "\(what) must be a single value")
            return nil
        }
        switch substitution.expand(scalar.string) {
        case .success(let text): return text
        case .failure(let failure):
            // Quoted scalars start one column before their text.
            error(file, node, "\(what): \(failure.message)", columnOffset: failure.offset + (scalar.style == .plain ? 0 : 1))
            return nil
        }
    }

    /// A list of strings; a single scalar is accepted as a one-element list.
    mutating func stringList(_ node: Node?, file: String, what: String) -> [(String, Node)]? {
        guard let node else { return nil }
        if case .scalar = node { return string(node, file: file, what: what).map { [($0, node)] } }
        guard let sequence = node.sequence else {
            error(file, node, "\(what) must be a list")
            return nil
        }
        return sequence.compactMap { element in string(element, file: file, what: what).map { ($0, element) } }
    }

    mutating func integer(_ node: Node?, file: String, what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, file: file, what: what) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            error(file, node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return n
    }

    /// The closest allowed key within two edits, for "did you mean" hints.
    static func suggestion(for name: String, among allowed: [String]) -> String? {
        func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        return allowed.map { ($0, distance(name, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }
}

/// Where a value is in a configuration file.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the operator.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a position.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    init(file: String, node: Node?) {
        let p = node?.position ?? (line: 1, column: 1)
        self.init(file: file, line: p.line, column: p.column)
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}
