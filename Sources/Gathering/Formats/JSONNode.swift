import Foundation

/// A parsed JSON value whose numbers keep their text, so amounts become exact decimals.
///
/// `JSONSerialization` reads numbers as binary doubles, so 1000.1 comes back as 1000.1000000000000227
/// and totals drift; money must add up to the penny.
indirect enum JSONNode: Sendable {
    case null
    case bool(Bool)
    /// The number as written in the source.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    /// Parses `data`; a syntax error names the line and column.
    static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONNode {
        try JSONParser.parse(data)
    }

    subscript(key: String) -> JSONNode? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var object: [String: JSONNode]? {
        if case .object(let o) = self { return o }
        return nil
    }

    var array: [JSONNode]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as `JSONSerialization` would give it, for handing a sub-tree to a `Decodable`.
    var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return NSDecimalNumber(string: n, locale: Locale(identifier: "en_US_POSIX"))
        case .string(let s): return s
        case .array(let a): return a.map(\.foundationValue)
        case .object(let o): return o.mapValues(\.foundationValue)
        }
    }

    /// A short description of the value's kind and content, for error messages.
    var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "'\(b)'"
        case .number(let n): return "'\(n)'"
        case .string(let s): return "the string '\(s.prefix(40))'"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// Invalid JSON, with the line and column where the parser stopped.
struct JSONSyntaxError: Error {
    var message: String
    var line: Int?
    var column: Int?

    /// `path:line:column` when the position is known, else the path.
    func location(in path: String) -> String {
        guard let line, let column else { return path }
        return "\(path):\(line):\(column)"
    }
}
