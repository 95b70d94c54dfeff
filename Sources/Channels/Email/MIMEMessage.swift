import Crypto
import Foundation

/// A `multipart/alternative` message in two pieces, so a digest to 10,000 people is encoded once:
///
/// - the **shared part**, rendered once per digest and stored as every delivery's payload: `Subject`,
///   `MIME-Version`, `Content-Type` and the encoded body (text/plain first, then text/html, the order
///   of increasing preference);
/// - the **envelope headers**, made per recipient and attempt: `Date`, `From`, `To`, `Message-ID`,
///   `Reply-To`, `Auto-Submitted`, `List-Unsubscribe` and `List-Unsubscribe-Post`.
///
/// The message is their concatenation. Every line ends in CRLF and stays within 998 octets (encoded
/// body lines within 76); every header is ASCII (RFC 2047 for anything else).
enum MIMEMessage {
    /// The shared part of `content`. The boundary is derived from the content (so rendering twice gives
    /// the same bytes) and starts with `=_`, which neither quoted-printable nor base64 output can
    /// contain, so it never occurs inside a part.
    static func sharedPart(_ content: EmailContent) -> Data {
        var hash = SHA256()
        hash.update(data: Data(content.subject.utf8))
        hash.update(data: Data(content.text.utf8))
        hash.update(data: Data(content.html.utf8))
        let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
        let boundary = "=_herald_" + digest.prefix(32)

        var out: [UInt8] = []
        out.reserveCapacity(content.text.utf8.count + content.html.utf8.count * 11 / 10 + 1024)
        func line(_ text: String) {
            out += Array(text.utf8)
            out += MIMEEncoding.crlf
        }
        line(MIMEEncoding.header("Subject", content.subject))
        line("MIME-Version: 1.0")
        line("Content-Type: multipart/alternative;")
        line(" boundary=\"\(boundary)\"")
        line("")
        line("This is a multi-part message in MIME format.")
        for (type, body) in [("text/plain", content.text), ("text/html", content.html)] {
            line("--" + boundary)
            line("Content-Type: \(type); charset=utf-8")
            if MIMEEncoding.prefersBase64(body) {
                line("Content-Transfer-Encoding: base64")
                line("")
                out += MIMEEncoding.base64Lines(Array(body.utf8))
            } else {
                line("Content-Transfer-Encoding: quoted-printable")
                line("")
                out += MIMEEncoding.quotedPrintable(body)
                // The CRLF before a boundary belongs to the boundary: add one so the part's own last
                // line break survives.
                out += MIMEEncoding.crlf
            }
        }
        line("--" + boundary + "--")
        return Data(out)
    }

    /// What one recipient's copy adds in front of the shared part.
    struct Envelope: Sendable, Hashable {
        var from: EmailAddress
        var to: EmailAddress
        var replyTo: EmailAddress?
        /// The delivery key: the `Message-ID` is `<key@from-domain>`, identical on every attempt, so a
        /// copy sent twice after an unknown outcome is recognisably the same message.
        var key: String
        var date: Date
        /// `List-Unsubscribe` target (https or mailto), already specific to the recipient.
        var unsubscribe: String?
    }

    /// The envelope headers, each ending in CRLF.
    static func envelopeHeaders(_ envelope: Envelope) -> Data {
        var lines = [
            "Date: " + MIMEEncoding.date(envelope.date),
            "From: " + envelope.from.header(used: 6),
            "To: " + envelope.to.header(used: 4),
            "Message-ID: " + messageID(key: envelope.key, domain: envelope.from.domain),
        ]
        if let replyTo = envelope.replyTo { lines.append("Reply-To: " + replyTo.header(used: 10)) }
        lines.append("Auto-Submitted: auto-generated")
        if let unsubscribe = envelope.unsubscribe {
            lines.append(MIMEEncoding.fold("List-Unsubscribe: <\(unsubscribe)>"))
            // RFC 8058 one-click unsubscribe needs an https URI that accepts a POST.
            if unsubscribe.lowercased().hasPrefix("https:") { lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click") }
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// `<key@domain>`; characters outside the key's documented alphabet (letters, digits, `_`, `-`) are
    /// replaced by `-` so the id is always a valid dot-atom.
    static func messageID(key: String, domain: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        let left = String(String.UnicodeScalarView(key.unicodeScalars.map { allowed.contains($0) ? $0 : "-" }))
        return "<\(left.isEmpty ? "herald" : left)@\(domain.isEmpty ? "herald.invalid" : domain)>"
    }
}
