import CurlKit
import Foundation

/// The classification most services share (protocols.md §0.3), and reading `Retry-After`.
enum ResponseRules {
    /// `Retry-After` as seconds from `now`: delta-seconds (fractions allowed) or an HTTP-date
    /// (IMF-fixdate, RFC 850 or asctime). A date in the past gives 0.
    static func retryAfter(_ response: HTTPResponse, now: Date) -> TimeInterval? {
        guard let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        if let seconds = Double(value) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let date = httpDate(value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Parses an HTTP-date (RFC 9110 §5.6.7).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// The largest of the delays given; nil when none is.
    static func longest(_ delays: TimeInterval?...) -> TimeInterval? {
        delays.compactMap { $0 }.max()
    }

    /// The body as one short line of text (≤ 300 characters), for reasons.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.count > 300 ? String(collapsed.prefix(300)) + "…" : collapsed
    }

    /// The shared rules: 2xx sent; 3xx dead (redirects are not followed); 408/425/429 and 5xx retry,
    /// after `Retry-After` or `serviceDelay`, whichever is longer; 404/410 dead as gone;
    /// other 4xx dead. `serviceError` is the service's error text (scrubbed here).
    static func verdict(
        _ response: HTTPResponse, now: Date, remoteID: String? = nil, serviceError: String?,
        serviceDelay: TimeInterval? = nil, scrub: (String) -> String
    ) -> DeliveryVerdict {
        let status = response.status
        let detail = (serviceError?.isEmpty == false ? serviceError! : excerpt(response.body))
        let text = scrub(detail.isEmpty ? "" : ": " + detail)
        switch status {
        case 200..<300:
            return .sent(remoteID: remoteID)
        case 300..<400:
            return .dead(reason: "HTTP \(status) (redirect; Herald does not follow redirects: update the destination URL)\(text)")
        case 429:
            return .retry(after: longest(retryAfter(response, now: now), serviceDelay), reason: "HTTP 429 (rate limited)\(text)")
        case 408, 425:
            return .retry(after: longest(retryAfter(response, now: now), serviceDelay), reason: "HTTP \(status)\(text)")
        case 500..<600:
            return .retry(after: longest(retryAfter(response, now: now), serviceDelay), reason: "HTTP \(status) (server error)\(text)")
        case 404, 410:
            return .dead(reason: "HTTP \(status) (gone: the destination no longer exists; fix or remove it)\(text)")
        case 401, 403:
            return .dead(reason: "HTTP \(status) (credentials rejected or not allowed)\(text)")
        case 400..<500:
            return .dead(reason: "HTTP \(status) (request rejected)\(text)")
        default:
            return .retry(after: nil, reason: "HTTP \(status) (unexpected status)\(text)")
        }
    }
}

/// Hiding credentials in text and requests.
enum Redaction {
    static let mask = "****"

    /// Header names whose values are credentials.
    static let credentialHeaderWords = ["authorization", "auth", "token", "secret", "password", "api-key", "apikey", "cookie"]
    /// Query parameter names whose values are credentials.
    static let credentialQueryNames: Set<String> = [
        "sig", "signature", "token", "access_token", "key", "apikey", "api_key", "api-key", "secret", "password",
        "pass", "auth", "code",
    ]

    /// `text` with every secret (and its percent-encoded form) replaced by `****`; longest first.
    static func scrub(_ text: String, secrets: [String]) -> String {
        // Every reply excerpt and reason passes through here: skip the work when there is nothing to hide.
        guard !text.isEmpty, !secrets.isEmpty else { return text }
        var result = text
        let candidates = Set(secrets.filter { $0.count >= 3 }.flatMap { [$0, Percent.encode($0)] })
        for secret in candidates.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }

    static func redact(_ request: HTTPRequest, secrets: [String]) -> HTTPRequest {
        var copy = request
        copy.url = redactURL(request.url, secrets: secrets)
        copy.headers = request.headers.map { header in
            let name = header.name.lowercased()
            guard credentialHeaderWords.contains(where: { name.contains($0) }) else {
                return HTTPHeader(header.name, scrub(header.value, secrets: secrets))
            }
            if let space = header.value.firstIndex(of: " ") {
                return HTTPHeader(header.name, String(header.value[..<space]) + " " + mask)
            }
            return HTTPHeader(header.name, mask)
        }
        let body = String(decoding: request.body, as: UTF8.self)
        let scrubbed = scrub(body, secrets: secrets)
        if scrubbed != body { copy.body = Data(scrubbed.utf8) }
        return copy
    }

    /// A URL with secrets, user-info passwords and credential-like query values replaced.
    static func redactURL(_ url: String, secrets: [String]) -> String {
        var text = scrub(url, secrets: secrets)
        guard let raw = try? RawServiceURL(text) else { return text }
        var authority = raw.authority
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            let user = info.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            authority = (info.contains(":") ? user + ":" + mask : user) + String(authority[at...])
        }
        var query = raw.query
        if let original = raw.query {
            query = original.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = (String(parts[0]).removingPercentEncoding ?? String(parts[0])).lowercased()
                guard parts.count == 2, credentialQueryNames.contains(name) else { return String(pair) }
                return String(parts[0]) + "=" + mask
            }.joined(separator: "&")
        }
        text = raw.scheme + "://" + authority + raw.path + (query.map { "?" + $0 } ?? "")
        return scrub(text, secrets: secrets)
    }
}
