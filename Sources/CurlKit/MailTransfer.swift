import Foundation

/// One SMTP submission for ``CurlClient/send(_:)``: a server, credentials, an envelope and a finished
/// RFC 5322 message.
///
/// CurlKit does not build or rewrite the message: give CRLF line endings and encode headers yourself.
/// libcurl does the SMTP dot-stuffing (a line starting with `.` is sent as `..`), so the message is
/// the text exactly as the recipient should see it.
public struct MailTransfer: Sendable, Hashable {
    /// Whether to upgrade a plain `smtp://` connection with `STARTTLS`.
    public struct StartTLS: Sendable, Hashable, CustomStringConvertible {
        enum Base: Hashable { case required, opportunistic, none }
        let base: Base

        /// Insist on `STARTTLS`; fail with ``CurlError/Code/tls`` if the server does not offer it.
        public static let required = StartTLS(base: .required)
        /// Use `STARTTLS` when the server offers it, otherwise continue in plain text.
        public static let opportunistic = StartTLS(base: .opportunistic)
        /// Never use `STARTTLS`.
        public static let none = StartTLS(base: .none)

        /// `required`, `opportunistic` or `none`.
        public var description: String {
            switch base {
            case .required: "required"
            case .opportunistic: "opportunistic"
            case .none: "none"
            }
        }
    }

    /// `smtp://host[:port]` (port 25/587, optionally upgraded per ``starttls``) or `smtps://host[:port]`
    /// (TLS from the first byte, usually port 465; ``starttls`` is then irrelevant).
    public var url: String
    /// `STARTTLS` policy for `smtp://` URLs. Default ``StartTLS/required``.
    public var starttls: StartTLS
    /// SMTP AUTH user name, if the server needs one.
    public var username: String?
    /// SMTP AUTH password. Never appears in errors or descriptions.
    public var password: String?
    /// The envelope sender (`MAIL FROM`), a bare address such as `herald@example.gov.uk`.
    public var from: String
    /// The envelope recipients (`RCPT TO`), bare addresses. At least one.
    public var recipients: [String]
    /// The complete RFC 5322 message (headers, blank line, body) with CRLF line endings.
    public var message: Data
    /// Timeouts and protocol allow-list; by default only `smtp` and `smtps` are allowed.
    public var options: TransferOptions

    /// Creates a mail transfer.
    public init(
        url: String,
        starttls: StartTLS = .required,
        username: String? = nil,
        password: String? = nil,
        from: String,
        recipients: [String],
        message: Data,
        options: TransferOptions = .init()
    ) {
        self.url = url
        self.starttls = starttls
        self.username = username
        self.password = password
        self.from = from
        self.recipients = recipients
        self.message = message
        self.options = options
    }
}

extension MailTransfer: CustomStringConvertible {
    /// A summary safe to log: credentials and the message body are left out.
    public var description: String {
        "MailTransfer(url: \(Redaction.url(url)), from: \(from), recipients: \(recipients.count), bytes: \(message.count))"
    }
}

/// What the SMTP server said when it accepted a message.
public struct MailReceipt: Sendable, Hashable {
    /// The final SMTP reply code, normally 250.
    public var responseCode: Int
    /// The server's final reply line, e.g. `250 2.0.0 Ok: queued as 4F2A1C`; servers often put their
    /// queue id here, which is worth recording as the remote id of the delivery.
    public var reply: String

    /// Creates a receipt.
    public init(responseCode: Int, reply: String) {
        self.responseCode = responseCode
        self.reply = reply
    }
}
