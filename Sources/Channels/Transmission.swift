import CurlKit
import Foundation

/// What one delivery puts on the wire: an HTTP request or an SMTP submission.
///
/// `herald preview --format json` shows it (redacted); the dispatcher hands it to a ``ChannelTransport``.
public enum Transmission: Sendable, Hashable {
    /// An HTTP request (webhooks, chat and social APIs, email APIs).
    case http(HTTPRequest)
    /// An SMTP submission.
    case mail(MailTransfer)
    /// A file written into a folder (the embedded `file://` outbox).
    case file(path: String, contents: Data)
}

/// How channels reach their services. The daemon's is ``CurlTransport``; tests may count or delay calls.
public protocol ChannelTransport: Sendable {
    /// Sends an HTTP request and returns the response, whatever its status.
    func execute(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse
    /// Submits a mail over SMTP.
    func send(_ mail: MailTransfer) async throws(CurlError) -> MailReceipt
    /// Sends an HTTP request that must reach the service at most once: never repeated by the HTTP library
    /// itself (see ``CurlKit/TransferOptions/freshConnection``). For services that cannot deduplicate.
    func executeOnce(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse
}

extension ChannelTransport {
    /// Transports that never repeat a request on their own need nothing more.
    public func executeOnce(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        try await execute(request)
    }
}

/// The transport over a shared ``CurlClient``, with one set of per-transfer options (timeouts, protocol
/// allow-list) for every call.
public struct CurlTransport: ChannelTransport {
    /// The client whose multi loop carries every transfer.
    public let client: CurlClient
    /// Options for HTTP requests; SMTP sends use their own ``MailTransfer/options``.
    public var options: TransferOptions

    /// Creates a transport over `client`.
    public init(client: CurlClient, options: TransferOptions = TransferOptions()) {
        self.client = client
        self.options = options
    }

    public func execute(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        try await client.execute(request, options: options)
    }

    /// On a fresh connection, which libcurl never resends on its own.
    public func executeOnce(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        var once = options
        once.freshConnection = true
        return try await client.execute(request, options: once)
    }

    /// Sends `mail`; its own timeouts win, else this transport's apply (the destination's `timeout:`).
    public func send(_ mail: MailTransfer) async throws(CurlError) -> MailReceipt {
        var mail = mail
        if mail.options.timeout == nil { mail.options.timeout = options.timeout }
        if mail.options.connectTimeout == nil { mail.options.connectTimeout = options.connectTimeout }
        return try await client.send(mail)
    }
}
