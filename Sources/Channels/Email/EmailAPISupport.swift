import CurlKit
import Foundation

/// What the HTTP email APIs (SendGrid, Mailgun, Postmark, GOV.UK Notify) share.
///
/// Each renders the digest once into a payload holding every field that is the same for all recipients
/// (a JSON object, or a form body for Mailgun); a request puts the recipient's own fields in front of
/// it by splicing bytes. So a list of 10,000 costs one rendering and 10,000 small copies, never 10,000
/// serialisations, and the stored payload is what `herald preview` shows.
enum EmailAPISupport {
    /// `{head…,payload…}`: the head's members, then the payload object's members. `payload` must be a
    /// non-empty JSON object written by ``JSON``.
    static func spliced(_ head: [(String, JSON)], into payload: Data) -> Data {
        var out = Data(JSON.object(head).text.utf8.dropLast())
        if payload.count > 2 {
            out.append(UInt8(ascii: ","))
            out.append(payload.dropFirst())
        } else {
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// An `application/x-www-form-urlencoded` body (every byte outside RFC 3986's unreserved set escaped).
    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { Percent.encode($0.0) + "=" + Percent.encode($0.1) }.joined(separator: "&")
    }

    /// The Apprise form `scheme://KEY:local@domain[/to…]` (the sender address written as the URL's
    /// password and host) or `scheme://KEY[/to…]?from=addr`: the key and the sender, if written there.
    static func keyAndSender(_ raw: RawServiceURL, service: String, form: String) throws(ChannelError) -> (key: String, from: String?) {
        let (user, password, host) = raw.userInfoAndHost
        if let user {
            guard let password, !password.isEmpty, !host.isEmpty, !user.isEmpty else {
                throw ChannelError("\(service) URL must look like \(form)")
            }
            return (user, password + "@" + host)
        }
        guard !raw.authority.isEmpty else { throw ChannelError("\(service) URL needs the API key: \(form)") }
        return (raw.authority.removingPercentEncoding ?? raw.authority, nil)
    }

    /// Seconds until the epoch time in `header` (SendGrid's and others' `X-RateLimit-Reset`), if present.
    static func resetDelay(_ response: HTTPResponse, header: String, now: Date) -> TimeInterval? {
        guard let text = response.header(header), let epoch = Double(text.trimmingCharacters(in: .whitespaces)),
              epoch.isFinite, epoch > 0 else { return nil }
        return max(0, epoch - now.timeIntervalSince1970)
    }

    /// `Name <addr>` with the name quoted, for API fields that take a display form (Postmark, Mailgun).
    static func displayForm(_ mailbox: EmailAddress) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return mailbox.address }
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(mailbox.address)>"
    }

    /// The list-unsubscribe headers for a recipient, as name/value pairs.
    static func unsubscribeHeaders(_ target: String?) -> [(String, String)] {
        guard let target else { return [] }
        var headers = [("List-Unsubscribe", "<\(target)>")]
        if target.lowercased().hasPrefix("https:") { headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")) }
        return headers
    }

    /// Rejects query options a channel does not know, so a typo is not silently ignored.
    static func checkOptions(_ raw: RawServiceURL, known: Set<String>, service: String) throws(ChannelError) {
        if let unknown = raw.queryItems.first(where: { !known.contains($0.name.lowercased()) }) {
            throw ChannelError("unknown \(service) option '\(unknown.name)' (known: \(known.sorted().joined(separator: ", ")))")
        }
    }
}
