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
            // Nodes come from `compose`, whose resolver leaves untagged scalars' tags empty (`.implicit`).
            let tag = scalar.tag.rawValue
            switch tag.isEmpty ? implicitTag(of: scalar.string) : Tag.Name(rawValue: tag) {
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
            // `.basic` has no rules: Yams' default resolver compiles seven NSRegularExpressions (ICU, about
            // 4 MB of idle RSS in the daemon) and matches every mapping key. `value` types plain scalars itself.
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw YAMLSyntaxError(error)
        } catch {
            throw YAMLSyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }
}

extension YAMLJSON {
    /// The tag Yams' default resolver gives an untagged plain scalar, as far as `value` uses it: `.null`, `.bool`,
    /// `.int`, `.float` or else `.str` (merge, timestamp and value keys stay strings). The same rules, in the same
    /// order, as `Resolver.default`'s regular expressions, matched by hand so that no regex engine is loaded.
    public static func implicitTag(of plain: String) -> Tag.Name {
        var s = Array(plain.utf8)
        // ICU's `$` also matches before one line terminator at the end of the input.
        if s.last == 0x0A, s.count >= 2, s[s.count - 2] == 0x0D {
            s.removeLast(2)
        } else if let last = s.last, (0x0A...0x0D).contains(last) {
            s.removeLast()
        } else if s.count >= 2, s[s.count - 2] == 0xC2, s[s.count - 1] == 0x85 {
            s.removeLast(2)
        } else if s.count >= 3, s[s.count - 3] == 0xE2, s[s.count - 2] == 0x80, s[s.count - 1] == 0xA8 || s[s.count - 1] == 0xA9 {
            s.removeLast(3)
        }
        if YAMLScalarRules.isBool(s) { return .bool }
        if YAMLScalarRules.isInt(s) { return .int }
        if YAMLScalarRules.isFloat(s) { return .float }
        if YAMLScalarRules.isNull(s) { return .null }
        return .str
    }
}

/// Yams' `Resolver.Rule.bool`, `.int`, `.float` and `.null` patterns over UTF-8 bytes.
private enum YAMLScalarRules {
    typealias Bytes = ArraySlice<UInt8>

    static func isBool(_ s: [UInt8]) -> Bool {
        switch String(decoding: s, as: UTF8.self) {
        case "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF": return true
        default: return false
        }
    }

    static func isNull(_ s: [UInt8]) -> Bool {
        switch String(decoding: s, as: UTF8.self) {
        case "~", "null", "Null", "NULL", "": return true
        default: return false
        }
    }

    static func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func all(_ s: Bytes, _ allowed: (UInt8) -> Bool) -> Bool { s.allSatisfy(allowed) }
    static func digitOrUnderscore(_ c: UInt8) -> Bool { digit(c) || c == 0x5F }

    static func unsigned(_ s: [UInt8]) -> Bytes {
        s.first == 0x2B || s.first == 0x2D ? s.dropFirst() : s[...]
    }

    /// `[-+]?` then `0b[0-1_]+ | 0o?[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(?::[0-5]?[0-9])+`.
    static func isInt(_ s: [UInt8]) -> Bool {
        let r = unsigned(s)
        guard let first = r.first else { return false }
        if first == 0x30 {
            let rest = r.dropFirst()
            if rest.isEmpty { return true }
            if rest.first == 0x62 {  // 0b
                let bits = rest.dropFirst()
                return !bits.isEmpty && all(bits) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F }
            }
            if rest.first == 0x78 {  // 0x
                let hex = rest.dropFirst()
                return !hex.isEmpty && all(hex) { digit($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) || $0 == 0x5F }
            }
            let octal = rest.first == 0x6F ? rest.dropFirst() : rest  // 0o
            return !octal.isEmpty && all(octal) { ($0 >= 0x30 && $0 <= 0x37) || $0 == 0x5F }
        }
        guard first >= 0x31 && first <= 0x39 else { return false }
        let parts = r.split(separator: 0x3A, omittingEmptySubsequences: false)
        guard all(parts[0].dropFirst(), digitOrUnderscore) else { return false }
        return parts.dropFirst().allSatisfy(sexagesimalGroup)
    }

    /// `[0-5]?[0-9]`
    static func sexagesimalGroup(_ g: Bytes) -> Bool {
        switch g.count {
        case 1: return digit(g[g.startIndex])
        case 2: return (0x30...0x35).contains(g[g.startIndex]) && digit(g[g.startIndex + 1])
        default: return false
        }
    }

    /// `[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)? | \.[0-9_]+(?:[eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)`.
    static func isFloat(_ s: [UInt8]) -> Bool {
        switch String(decoding: s, as: UTF8.self) {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return true
        default: break
        }
        if s.first == 0x2E {  // .[0-9_]+(?:[eE][-+][0-9]+)?
            var i = s.index(after: s.startIndex)
            let start = i
            while i < s.endIndex, digitOrUnderscore(s[i]) { i += 1 }
            guard i > start else { return false }
            if i == s.endIndex { return true }
            guard s[i] == 0x65 || s[i] == 0x45 else { return false }
            i += 1
            guard i < s.endIndex, s[i] == 0x2B || s[i] == 0x2D else { return false }
            let digits = s[(i + 1)...]
            return !digits.isEmpty && all(digits, digit)
        }
        let r = unsigned(s)
        guard let first = r.first, digit(first) else { return false }
        if r.contains(0x3A) {  // [0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
            guard let dot = r.firstIndex(of: 0x2E) else { return false }
            let parts = r[..<dot].split(separator: 0x3A, omittingEmptySubsequences: false)
            return parts.count >= 2 && all(parts[0].dropFirst(), digitOrUnderscore)
                && parts.dropFirst().allSatisfy(sexagesimalGroup) && all(r[(dot + 1)...], digitOrUnderscore)
        }
        var i = r.index(after: r.startIndex)
        while i < r.endIndex, digitOrUnderscore(r[i]) { i += 1 }
        if i < r.endIndex, r[i] == 0x2E {
            i += 1
            while i < r.endIndex, digitOrUnderscore(r[i]) { i += 1 }
        }
        if i == r.endIndex { return true }
        guard r[i] == 0x65 || r[i] == 0x45 else { return false }
        i += 1
        if i < r.endIndex, r[i] == 0x2B || r[i] == 0x2D { i += 1 }
        let digits = r[i...]
        return !digits.isEmpty && all(digits, digit)
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
