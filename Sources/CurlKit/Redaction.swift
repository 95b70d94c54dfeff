import Foundation

/// Keeps secrets out of anything CurlKit prints or returns. Webhook URLs carry their tokens in the
/// path (Slack, Discord, Telegram) and mail URLs may carry `user:password@`, so an echoed URL is cut
/// down to scheme, host and port.
enum Redaction {
    /// `https://user:pw@hooks.example:8443/services/T/B/X?x=1` → `https://hooks.example:8443/…`.
    static func url(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else {
            // Not a URL we understand: say nothing about it rather than risk echoing a secret.
            return url.isEmpty ? "" : "<url>"
        }
        let scheme = url[..<schemeEnd.lowerBound]
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        let hasMore = authorityEnd != rest.endIndex && rest[authorityEnd...] != "/"
        return "\(scheme)://\(authority)\(hasMore ? "/…" : "")"
    }

    /// Rewrites every `scheme://…` token in free text (libcurl error messages) with ``url(_:)`` and
    /// blanks out the given secrets wherever they appear.
    static func message(_ text: String, secrets: [String]) -> String {
        var words: [Substring] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            words.append(word.contains("://") ? Substring(url(String(word))) : word)
        }
        var result = words.joined(separator: " ")
        for secret in secrets where secret.count >= 3 {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return result
    }
}
