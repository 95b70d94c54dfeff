import Foundation

/// A JSON value written with its keys in the order given, minified, `/` unescaped and non-ASCII as
/// UTF-8: the same input always gives the same bytes (signed bodies depend on it).
indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// The minified bytes.
    var data: Data { Data(text.utf8) }

    /// A minified object written by ``data`` with `members` added at its end: what a send adds to a stored
    /// payload (a reply reference known only once the part before is posted), without re-serialising it.
    static func appending(_ members: [(String, JSON)], to object: Data) -> Data {
        guard !members.isEmpty, object.last == UInt8(ascii: "}") else { return object }
        var out = object.dropLast()
        var tail = JSON.object(members).text
        tail.removeFirst()
        if out.last != UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: tail.utf8)
        return Data(out)
    }

    /// The minified text.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): JSON.writeString(value, to: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Reading replies: a JSON object's fields, or nil when the body is not a JSON object.
enum JSONReply {
    static func object(_ data: Data) -> [String: Any]? {
        guard !data.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// A number or numeric string as seconds.
    static func seconds(_ value: Any?) -> TimeInterval? {
        var seconds: Double?
        if let text = value as? String {
            seconds = Double(text.trimmingCharacters(in: .whitespaces))
        } else if let number = value as? Double {
            seconds = number
        } else if let number = value as? Int {
            seconds = Double(number)
        }
        guard let seconds, seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }

    /// A string or integer id as text.
    static func identifier(_ value: Any?) -> String? {
        if let text = value as? String { return text.isEmpty ? nil : text }
        if let number = value as? Int { return String(number) }
        if let number = value as? Int64 { return String(number) }
        return nil
    }
}
