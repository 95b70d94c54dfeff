import CCurl

/// Why a transfer failed, and — what a dispatcher most needs — whether the request may nevertheless
/// have reached the server.
///
/// An HTTP error status (4xx, 5xx) is not a `CurlError`: it is an ``HTTPResponse``. A `CurlError` means
/// no complete response arrived.
public struct CurlError: Error, Sendable, Hashable {
    /// The kind of failure. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Hashable {
            case couldNotResolve, couldNotConnect, timedOut, sendFailed, receiveFailed, tls
            case cancelled, shutdown, protocolNotAllowed, invalidRequest, other
        }
        let base: Base

        /// The host name did not resolve (or the proxy's did not).
        public static let couldNotResolve = Code(base: .couldNotResolve)
        /// No TCP connection could be made (refused, unreachable).
        public static let couldNotConnect = Code(base: .couldNotConnect)
        /// The connect or total timeout expired.
        public static let timedOut = Code(base: .timedOut)
        /// Writing to the server failed; for SMTP also a rejected command (`MAIL FROM`, `RCPT TO`, …),
        /// with the reply code in ``CurlError/responseCode``.
        public static let sendFailed = Code(base: .sendFailed)
        /// Reading the reply failed: connection reset, closed early, or nothing came back.
        public static let receiveFailed = Code(base: .receiveFailed)
        /// TLS handshake or certificate verification failed, or `STARTTLS` was required but unavailable.
        public static let tls = Code(base: .tls)
        /// The calling task was cancelled.
        public static let cancelled = Code(base: .cancelled)
        /// The client was shut down before or during the transfer.
        public static let shutdown = Code(base: .shutdown)
        /// The URL's scheme is not in the transfer's allowed protocols.
        public static let protocolNotAllowed = Code(base: .protocolNotAllowed)
        /// The request was rejected before any I/O: malformed URL, a header or address containing a
        /// line break, no recipients.
        public static let invalidRequest = Code(base: .invalidRequest)
        /// Anything else; see ``CurlError/curlCode`` and ``CurlError/message``.
        public static let other = Code(base: .other)

        /// The code's name, e.g. `timedOut`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// libcurl's `CURLcode` (e.g. 7 for `CURLE_COULDNT_CONNECT`), or 0 when the failure did not come
    /// from libcurl (cancellation, shutdown, validation).
    public var curlCode: Int
    /// A human-readable explanation from libcurl's `CURLOPT_ERRORBUFFER` (or `curl_easy_strerror`),
    /// with credentials and URL paths removed.
    public var message: String
    /// The URL reduced to scheme, host and port (no userinfo, path or query, which often hold tokens).
    public var url: String
    /// The last protocol reply code received, if any: for SMTP the code that rejected the mail
    /// (e.g. 550), for HTTP the status of a reply that could not be read completely.
    public var responseCode: Int?
    /// `true` when the server may have received the request (or the whole mail) even though no
    /// answer arrived, so repeating it could duplicate its effect; `false` only when it certainly
    /// never left.
    ///
    /// How it is decided:
    /// - Failures before any I/O (validation, disallowed protocol, cancel or shutdown before the
    ///   transfer started) and failures that by their nature precede sending (`couldNotResolve`,
    ///   `couldNotConnect`, `tls` handshake/verification errors) are `false`.
    /// - HTTP, otherwise: `true` if libcurl got as far as sending — `CURLINFO_PRETRANSFER_TIME_T > 0`
    ///   (connection and TLS set up, request about to be written), or `CURLINFO_REQUEST_SIZE > 0`, or
    ///   `CURLINFO_SIZE_UPLOAD_T > 0`. So a connect timeout is `false`, but a timeout or reset after
    ///   the request began going out is `true`, as is a cancel or shutdown at that point.
    /// - SMTP: `true` only if libcurl had read the entire message for the `DATA` phase. A server
    ///   accepts a message only after its terminating `CRLF.CRLF`, which libcurl sends after the last
    ///   byte, so a failure in `MAIL FROM`, `RCPT TO`, `AUTH` or mid-upload cannot have delivered it.
    public var requestMayHaveBeenSent: Bool

    /// Creates an error. CurlKit makes these; the initialiser is public for tests and fakes.
    public init(
        code: Code,
        curlCode: Int = 0,
        message: String,
        url: String = "",
        responseCode: Int? = nil,
        requestMayHaveBeenSent: Bool
    ) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.url = url
        self.responseCode = responseCode
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }
}

extension CurlError: CustomStringConvertible {
    /// One line for logs, e.g. `timedOut (curl 28) http://127.0.0.1:8080/…: Operation timed out …; may have been sent`.
    public var description: String {
        var text = "\(code)"
        if curlCode != 0 { text += " (curl \(curlCode))" }
        if !url.isEmpty { text += " \(url)" }
        text += ": \(message)"
        if let responseCode { text += " [reply \(responseCode)]" }
        text += requestMayHaveBeenSent ? "; may have been sent" : "; not sent"
        return text
    }
}

extension CurlError {
    static func cancelled(url: String, mayHaveBeenSent: Bool = false) -> CurlError {
        CurlError(code: .cancelled, message: "the calling task was cancelled", url: url,
                  requestMayHaveBeenSent: mayHaveBeenSent)
    }

    static func shutdown(url: String, mayHaveBeenSent: Bool = false) -> CurlError {
        CurlError(code: .shutdown, message: "the curl client has been shut down", url: url,
                  requestMayHaveBeenSent: mayHaveBeenSent)
    }

    static func invalid(_ message: String, url: String) -> CurlError {
        CurlError(code: .invalidRequest, message: message, url: url, requestMayHaveBeenSent: false)
    }

    /// Maps a libcurl result onto a ``Code``, and says whether that result by itself proves nothing
    /// was sent (used by ``requestMayHaveBeenSent``).
    static func classify(_ result: CURLcode) -> (code: Code, certainlyNotSent: Bool) {
        switch result {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            (.couldNotResolve, true)
        case CURLE_COULDNT_CONNECT:
            (.couldNotConnect, true)
        case CURLE_OPERATION_TIMEDOUT:
            (.timedOut, false)
        case CURLE_SEND_ERROR:
            (.sendFailed, false)
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            (.receiveFailed, false)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE:
            (.tls, true)
        case CURLE_UNSUPPORTED_PROTOCOL:
            (.protocolNotAllowed, true)
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            (.invalidRequest, true)
        default:
            (.other, false)
        }
    }
}
