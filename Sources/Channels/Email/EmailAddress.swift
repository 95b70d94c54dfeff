import Foundation

/// One mailbox: an address and an optional display name, as written in config (`a@example.gov.uk` or
/// `Ann Smith <a@example.gov.uk>`).
///
/// Validation is deliberately strict and ASCII-only: what passes is an RFC 5321 mailbox every
/// submission server and email API accepts (dot-atom local part ≤ 64 octets, a host name with at least
/// one dot, ≤ 254 octets in all). Quoted local parts, IP-literal domains and internationalised
/// addresses are refused with a reason rather than risked, because one bad `RCPT TO` or API field
/// fails the whole send for that recipient anyway, and a warning at `herald check` is kinder.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`.
    public var address: String
    /// The display name, if any.
    public var name: String?

    /// Parses `addr` or `Name <addr>` (the name may be quoted); throws the reason it is not usable.
    public init(parsing text: String) throws(ChannelError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw ChannelError("empty address") }
        if trimmed.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw ChannelError("an address cannot contain a line break")
        }
        if let open = trimmed.lastIndex(of: "<") {
            guard trimmed.hasSuffix(">") else { throw ChannelError("'<' without a closing '>' at the end") }
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
                .trimmingCharacters(in: .whitespaces)
            self.name = name.isEmpty ? nil : name
        } else {
            address = trimmed
            name = nil
        }
        try Self.validate(address)
    }

    /// Creates a mailbox from parts already checked.
    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    private static let atext = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~")
    private static let labelCharacters = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")

    /// Throws why `address` is not a plain `local@domain` mailbox.
    static func validate(_ address: String) throws(ChannelError) {
        guard let at = address.lastIndex(of: "@") else { throw ChannelError("no '@' in the address") }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        if !address.unicodeScalars.allSatisfy(\.isASCII) {
            throw ChannelError("non-ASCII addresses (SMTPUTF8) are not supported; use the domain's ASCII (xn--) form")
        }
        if local.isEmpty { throw ChannelError("nothing before the '@'") }
        if local.utf8.count > 64 { throw ChannelError("the part before '@' is longer than 64 characters") }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw ChannelError("the part before '@' cannot start or end with '.' or contain '..'")
        }
        if !local.unicodeScalars.allSatisfy({ $0 == "." || atext.contains($0) }) {
            throw ChannelError("the part before '@' has characters an address cannot have (spaces, quotes, commas, '@', …)")
        }
        if domain.isEmpty { throw ChannelError("nothing after the '@'") }
        if address.utf8.count > 254 { throw ChannelError("longer than 254 characters") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 { throw ChannelError("the domain '\(domain)' has no dot (write the full domain, e.g. example.gov.uk)") }
        for label in labels {
            if label.isEmpty { throw ChannelError("the domain '\(domain)' has an empty label ('..' or a '.' at an end)") }
            if label.utf8.count > 63 { throw ChannelError("a label of the domain is longer than 63 characters") }
            if label.hasPrefix("-") || label.hasSuffix("-") || !label.unicodeScalars.allSatisfy({ labelCharacters.contains($0) }) {
                throw ChannelError("the domain '\(domain)' is not a host name (letters, digits and '-' between dots)")
            }
        }
        if labels.last!.allSatisfy(\.isNumber) { throw ChannelError("IP-address domains are not supported") }
    }

    /// The domain, lowercased.
    public var domain: String {
        address.lastIndex(of: "@").map { address[address.index(after: $0)...].lowercased() } ?? ""
    }

    /// The address with its domain lowercased: two entries differing only in the domain's case are the
    /// same mailbox (the local part is case-sensitive in principle, so it is kept).
    public var canonical: String {
        guard let at = address.lastIndex(of: "@") else { return address }
        return address[..<at] + "@" + address[address.index(after: at)...].lowercased()
    }

    /// The mailbox for a header (`From`, `To`): `Name <addr>` with the name quoted or RFC 2047-encoded
    /// as needed; `used` is how many characters of the line come before it (`To: ` is 4). Lines fold
    /// between words so that none passes 76 characters.
    func header(used: Int) -> String {
        guard let name, !name.isEmpty else { return address }
        return MIMEEncoding.foldTokens(MIMEEncoding.phraseTokens(name) + ["<" + address + ">"], used: used)
    }

    /// `Name <addr>` or `addr`, unencoded, for people and API fields that take a display form.
    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}
