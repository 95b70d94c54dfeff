import Foundation
import Yams

/// Turns YAML nodes into JSON-compatible values, so that YAML and JSON sources decode through the
/// same `Codable` path (one set of rules for dates, URLs and decimals) while errors can still
/// point at YAML lines.
public enum YAMLJSON {
    /// The JSON-compatible value of `node`: `String`, `Int`, `Double`, `Bool`, `NSNull`, arrays and
    /// string-keyed dictionaries. Plain scalars are typed as YAML 1.1 resolves them; quoted scalars
    /// stay strings. Timestamps stay as written, so dates remain dates rather than instants.
    public static func value(_ node: Node) -> Any {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return scalar.string }
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return NSNull()
            case .bool: return node.bool ?? scalar.string
            case .int: return node.int ?? scalar.string
            case .float: return node.float ?? scalar.string
            default: return scalar.string
            }
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, value) in mapping { object[key.string ?? "\(key)"] = self.value(value) }
            return object
        case .sequence(let sequence):
            return sequence.map { value($0) }
        case .alias:
            return NSNull()
        }
    }

    /// JSON data for `node`.
    public static func data(_ node: Node) throws -> Data {
        try JSONSerialization.data(withJSONObject: value(node), options: [.fragmentsAllowed])
    }

    /// Parses `text` into a node; a syntax error becomes a message with its line and column.
    public static func compose(_ text: String) throws(YAMLSyntaxError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLSyntaxError(error)
        } catch {
            throw YAMLSyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }
}

/// A YAML file that does not parse, with where.
public struct YAMLSyntaxError: Error, Sendable, Hashable {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// What the parser said.
    public var message: String

    /// Creates an error.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            self.init(line: mark.line, column: mark.column, message: "invalid YAML: \(prefix)\(problem)")
        case .reader(let problem, _, _, _):
            self.init(line: 1, column: 1, message: "invalid YAML: \(problem)")
        default:
            self.init(line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}

extension Node {
    /// "line:column" of the node's start, or "1:1" when unknown.
    public var position: (line: Int, column: Int) {
        (line: mark?.line ?? 1, column: mark?.column ?? 1)
    }
}
