import Crypto
import Foundation

/// OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3.4), as X's user-context auth expects.
///
/// Only the oauth parameters and the URL's query take part: X's v2 endpoints carry JSON bodies, and a
/// JSON body is not a form, so it is never signed (RFC 5849 §3.4.1.3.1).
struct OAuth1Signature: Sendable {
    var consumerKey: String
    var consumerSecret: String
    var token: String
    var tokenSecret: String

    /// The `Authorization` header value for `method` on `url`, with the given nonce and time.
    func authorization(method: String, url: String, nonce: String, timestamp: Int) -> String {
        var parameters = oauthParameters(nonce: nonce, timestamp: timestamp)
        parameters.append(("oauth_signature", signature(method: method, url: url, oauthParameters: parameters)))
        parameters.sort { $0.0 < $1.0 }
        return "OAuth " + parameters.map { "\(Self.encode($0.0))=\"\(Self.encode($0.1))\"" }.joined(separator: ", ")
    }

    func oauthParameters(nonce: String, timestamp: Int) -> [(String, String)] {
        [
            ("oauth_consumer_key", consumerKey), ("oauth_nonce", nonce), ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", String(timestamp)), ("oauth_token", token), ("oauth_version", "1.0"),
        ]
    }

    /// Base64 of HMAC-SHA1 over the signature base string, keyed by both secrets.
    func signature(method: String, url: String, oauthParameters: [(String, String)], extraParameters: [(String, String)] = []) -> String {
        let base = Self.baseString(method: method, url: url, parameters: oauthParameters + extraParameters)
        let key = Self.encode(consumerSecret) + "&" + Self.encode(tokenSecret)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// `METHOD&pct(base URL)&pct(sorted, encoded parameters)`; the URL's own query joins the parameters.
    static func baseString(method: String, url: String, parameters: [(String, String)]) -> String {
        var all = parameters
        var baseURL = url
        if let mark = url.firstIndex(of: "?") {
            baseURL = String(url[..<mark])
            for pair in url[url.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).replacingOccurrences(of: "+", with: " ")
                let value = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ") : ""
                all.append((name.removingPercentEncoding ?? name, value.removingPercentEncoding ?? value))
            }
        }
        var encoded: [(name: String, value: String)] = all.map { (encode($0.0), encode($0.1)) }
        encoded.sort { (left, right) -> Bool in left.name == right.name ? left.value < right.value : left.name < right.name }
        let parameterString = encoded.map { pair -> String in pair.name + "=" + pair.value }.joined(separator: "&")
        return method.uppercased() + "&" + encode(normalised(baseURL)) + "&" + encode(parameterString)
    }

    /// Scheme and host lowercased, the default port dropped (RFC 5849 §3.4.1.2).
    static func normalised(_ url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        let scheme = url[..<range.lowerBound].lowercased()
        let rest = url[range.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash].lowercased()
        if (scheme == "https" && authority.hasSuffix(":443")) || (scheme == "http" && authority.hasSuffix(":80")) {
            authority = String(authority[..<authority.lastIndex(of: ":")!])
        }
        let path = rest[slash...]
        return scheme + "://" + authority + (path.isEmpty ? "/" : String(path))
    }

    /// RFC 3986 percent-encoding over UTF-8 with uppercase hex; only unreserved characters stay.
    static func encode(_ text: String) -> String { Percent.encode(text) }

    /// A fresh nonce: 32 random bytes as letters and digits.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
