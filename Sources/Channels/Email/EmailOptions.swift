import Foundation

/// The sender-side options every email destination shares, read from its URL's query:
///
/// - `from=` the sender address (or given by the URL itself, per service), `name=` its display name;
/// - `reply_to=` a Reply-To address;
/// - `unsubscribe=` a `https://` or `mailto:` URL for `List-Unsubscribe` (plus RFC 8058 one-click
///   `List-Unsubscribe-Post` when https). `{recipient}` in it is replaced by the recipient's address,
///   percent-encoded, so each person's link unsubscribes that person.
struct EmailOptions: Sendable, Hashable {
    var from: EmailAddress
    var replyTo: EmailAddress?
    var unsubscribe: String?

    /// Reads the options; `from` is the sender address found by the channel (nil when the channel takes
    /// it from `from=` only). Throws naming the bad option.
    init(_ raw: RawServiceURL, from: String?, service: String) throws(ChannelError) {
        let text = raw.queryValue("from") ?? from
        guard let text, !text.isEmpty else {
            throw ChannelError("\(service) needs a sender address: add ?from=herald@example.gov.uk")
        }
        var sender: EmailAddress
        do {
            sender = try EmailAddress(parsing: text)
        } catch {
            throw ChannelError("\(service): the sender address is not usable: \(error.message)")
        }
        if let name = raw.queryValue("name"), !name.isEmpty {
            guard !name.contains(where: { $0 == "\r" || $0 == "\n" }) else { throw ChannelError("name= cannot contain a line break") }
            sender.name = name
        }
        self.from = sender
        if let reply = raw.queryValue("reply_to"), !reply.isEmpty {
            do {
                replyTo = try EmailAddress(parsing: reply)
            } catch {
                throw ChannelError("reply_to= is not a usable address: \(error.message)")
            }
        }
        if let value = raw.queryValue("unsubscribe"), !value.isEmpty {
            unsubscribe = try Self.unsubscribeURL(value)
        }
    }

    /// Checks an unsubscribe target: `https://…` or `mailto:…`, no spaces, line breaks or `<>`, and short
    /// enough to stay inside a header line.
    static func unsubscribeURL(_ value: String) throws(ChannelError) -> String {
        let lower = value.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("mailto:") || lower.hasPrefix("http://") else {
            throw ChannelError("unsubscribe= must be an https:// or mailto: URL")
        }
        guard !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || !$0.isASCII }) else {
            throw ChannelError("unsubscribe= cannot contain spaces, '<', '>' or non-ASCII characters (percent-encode them)")
        }
        guard value.utf8.count <= 800 else { throw ChannelError("unsubscribe= is longer than 800 characters") }
        return value
    }

    /// The unsubscribe target for `recipient`, with `{recipient}` filled in.
    func unsubscribe(for recipient: EmailAddress) -> String? {
        unsubscribe.map { $0.replacingOccurrences(of: "{recipient}", with: Percent.encode(recipient.address)) }
    }
}
