import Foundation

/// A service URL cut into its raw parts, without interpreting them: `scheme://authority/path?query`.
/// Apprise-style URLs put tokens where a host would be (`tgram://123:ABC/…`), so each channel reads
/// the authority its own way.
struct RawServiceURL: Sendable, Hashable {
    /// The scheme, lowercased.
    var scheme: String
    /// Everything between `://` and the first `/` or `?`.
    var authority: String
    /// From the first `/` up to `?` (may be empty).
    var path: String
    /// After the first `?`, raw; nil when absent.
    var query: String?

    init(_ url: String) throws(ChannelError) {
        let trimmed = url.trimmingWhitespace
        // The delimiters are ASCII, so they are found among the UTF-8 bytes (whose indices are the string's own):
        // searching by Character (or through Foundation's NSString) costs microseconds per URL, and a destination
        // may list ten thousand subscriber URLs.
        guard let range = trimmed.utf8.firstRange(of: "://".utf8) else {
            throw ChannelError("not a service URL (expected scheme://…)")
        }
        scheme = trimmed[..<range.lowerBound].lowercased()
        var rest = trimmed[range.upperBound...]
        if let mark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        } else {
            query = nil
        }
        if let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/")) {
            authority = String(rest[..<slash])
            path = String(rest[slash...])
        } else {
            authority = String(rest)
            path = ""
        }
    }

    /// The path's non-empty segments, percent-decoded.
    var pathSegments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }

    /// The query's `name=value` pairs in order, percent-decoded (`+` is kept: Apprise uses it as a marker).
    var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (name, value)
        }
    }

    /// The value of query parameter `name` (case-insensitive), if given.
    func queryValue(_ name: String) -> String? {
        queryItems.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The authority split at its last `@`: user info (percent-decoded user and optional password) and host:port.
    var userInfoAndHost: (user: String?, password: String?, hostPort: String) {
        guard let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) else { return (nil, nil, authority) }
        let info = authority[..<at]
        let hostPort = String(authority[authority.index(after: at)...])
        if let colon = info.utf8.firstIndex(of: UInt8(ascii: ":")) {
            let user = String(info[..<colon])
            let password = String(info[info.index(after: colon)...])
            return (user.removingPercentEncoding ?? user, password.removingPercentEncoding ?? password, hostPort)
        }
        return (String(info).removingPercentEncoding ?? String(info), nil, hostPort)
    }

    /// What a host (or an IPv6 address) may be written with; made once, not per URL.
    private static let hostCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_:%"))

    /// `host[:port]` or `[v6]:port` parsed; throws naming what is wrong (never the text itself, which
    /// may be a misplaced token).
    static func hostAndPort(_ text: String, what: String) throws(ChannelError) -> (host: String, port: Int?) {
        if text.isEmpty { throw ChannelError("\(what) needs a host") }
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ChannelError("\(what): unclosed '[' in the host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ChannelError("\(what): unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")) {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = Substring(text)
        }
        if host.isEmpty { throw ChannelError("\(what) needs a host") }
        if host.unicodeScalars.contains(where: { !hostCharacters.contains($0) }) {
            throw ChannelError("\(what): the host has characters a host name cannot have")
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw ChannelError("\(what): the port must be a number from 1 to 65535")
            }
            port = value
        }
        return (String(host), port)
    }
}

/// Where a service's API lives: scheme, host, port and a path prefix. The service's own paths are
/// appended; `endpoint:` replaces all four.
struct ServiceBase: Sendable, Hashable {
    var scheme: String
    var host: String
    var port: Int?
    var pathPrefix: String

    init(scheme: String, host: String, port: Int? = nil, pathPrefix: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
    }

    /// Parses an `endpoint:` value: `http(s)://host[:port][/prefix]`, no credentials, no query.
    init(endpoint: String) throws(ChannelError) {
        let raw: RawServiceURL
        do {
            raw = try RawServiceURL(endpoint)
        } catch {
            throw ChannelError("endpoint: not a URL (expected http://host[:port][/prefix] or https://…)")
        }
        guard raw.scheme == "http" || raw.scheme == "https" else {
            throw ChannelError("endpoint: the scheme must be http or https, not '\(raw.scheme)'")
        }
        guard raw.query == nil else { throw ChannelError("endpoint: must not have a query (?…)") }
        guard !raw.authority.contains("@") else {
            throw ChannelError("endpoint: must not hold credentials (user@ or user:password@)")
        }
        let (host, port) = try RawServiceURL.hostAndPort(raw.authority, what: "endpoint")
        var prefix = raw.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.init(scheme: raw.scheme, host: host, port: port, pathPrefix: prefix)
    }

    /// `endpoint` when set, else this base.
    func overridden(by endpoint: ServiceBase?) -> ServiceBase { endpoint ?? self }

    /// `scheme://host[:port]`.
    var origin: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostText)" + (port.map { ":\($0)" } ?? "")
    }

    /// The absolute URL of the service's `path` (starting with `/`), with an optional raw query.
    func url(path: String, query: String? = nil) -> String {
        origin + pathPrefix + path + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
    }

    /// The endpoint of `settings`, parsed, or nil.
    static func endpoint(of settings: DestinationSettings) throws(ChannelError) -> ServiceBase? {
        guard let text = settings.endpoint?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return try ServiceBase(endpoint: text)
    }
}

enum Percent {
    /// RFC 3986 unreserved characters only: for a path segment or query value that must not be misread.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
