import Foundation

/// Expands `${env:NAME}` and `${file:PATH}` in configuration values.
///
/// Substituted values are secrets by default (tokens, passwords): the substitution remembers them
/// so that anything Herald prints can be scrubbed of them, and messages about a failed
/// substitution name the variable or file, never a value.
struct ConfigSubstitution {
    var environment: [String: String]
    var home: URL
    /// Every value substituted so far, to scrub from output.
    private(set) var secrets: Set<String> = []

    init(environment: [String: String], home: URL) {
        self.environment = environment
        self.home = home
    }

    /// The expanded text, or a message saying which reference failed (and at which offset in `text`).
    mutating func expand(_ text: String) -> Result<String, SubstitutionFailure> {
        guard text.contains("${") else { return .success(text) }
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            output += rest[..<open.lowerBound]
            let offset = text.distance(from: text.startIndex, to: open.lowerBound)
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                return .failure(SubstitutionFailure(offset: offset, message: "'${' is not closed by '}'"))
            }
            let reference = rest[open.upperBound..<close]
            let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                return .failure(SubstitutionFailure(
                    offset: offset, message: "'${\(reference)}' is not ${env:NAME} or ${file:PATH}"))
            }
            let value: String
            switch parts[0] {
            case "env":
                guard let v = environment[parts[1]] else {
                    return .failure(SubstitutionFailure(
                        offset: offset, message: "environment variable \(parts[1]) is not set"))
                }
                value = v
            case "file":
                let url = parts[1].hasPrefix("/") ? URL(fileURLWithPath: parts[1])
                    : home.appendingPathComponent(parts[1])
                guard let data = FileManager.default.contents(atPath: url.path),
                    let text = String(data: data, encoding: .utf8)
                else {
                    return .failure(SubstitutionFailure(offset: offset, message: "cannot read secret file \(url.path)"))
                }
                // Secret files conventionally end with a newline that is not part of the secret.
                value = text.hasSuffix("\n") ? String(text.dropLast()).replacingOccurrences(of: "\r", with: "") : text
            default:
                return .failure(SubstitutionFailure(
                    offset: offset, message: "unknown substitution '\(parts[0])' (use env or file)"))
            }
            if !value.isEmpty { secrets.insert(value) }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return .success(output)
    }
}

struct SubstitutionFailure: Error {
    /// Character offset of the reference inside the scalar.
    var offset: Int
    var message: String
}
