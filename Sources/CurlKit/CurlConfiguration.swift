/// How a ``CurlClient`` behaves as a whole: connection reuse, HTTP version, identity, trust and default
/// timeouts. Fixed for the client's lifetime; per-request variations go in ``TransferOptions``.
///
/// TLS certificate and host-name verification is always on. There is deliberately no switch to turn it
/// off: to talk to a server with a private or self-signed certificate, give its CA in ``caBundlePath``.
///
/// Proxies: libcurl reads the standard environment variables itself — `http_proxy` (lower case only,
/// for safety against CGI's `HTTP_PROXY` header injection), `https_proxy`/`HTTPS_PROXY`,
/// `all_proxy`/`ALL_PROXY` and `no_proxy`/`NO_PROXY`. CurlKit never sets `CURLOPT_PROXY` or
/// `CURLOPT_NOPROXY`, so those variables keep working.
public struct CurlConfiguration: Sendable, Hashable {
    /// How many idle connections the client keeps open for reuse (`CURLMOPT_MAXCONNECTS`).
    ///
    /// Set explicitly because libcurl's default tracks the number of transfers in flight *right now*, so
    /// a quiet moment shrinks the cache and closes keep-alive connections that are about to be needed
    /// again (measured: 2,500 new connections per 100k requests at concurrency 10, against 9 with a fixed
    /// size). Default 64.
    public var connectionCacheSize: Int
    /// At most this many simultaneous connections to any one host (`CURLMOPT_MAX_HOST_CONNECTIONS`);
    /// excess transfers wait inside libcurl for a free connection. `nil` means no limit.
    ///
    /// It applies to every host the client talks to. Useful for politeness towards rate-limited APIs;
    /// it costs throughput and tail latency under load, so leave it `nil` unless you need it.
    public var maximumConnectionsPerHost: Int?
    /// Negotiate HTTP/2 over TLS where the server offers it (`CURL_HTTP_VERSION_2TLS`); plain-text HTTP
    /// stays HTTP/1.1. Default `true`.
    public var http2: Bool
    /// The `User-Agent` sent unless a request carries its own.
    public var userAgent: String
    /// A PEM file of CA certificates to trust instead of the system store (`CURLOPT_CAINFO`).
    public var caBundlePath: String?
    /// Connect timeout (DNS, TCP and TLS handshake) for transfers whose options give none. Default 10 s.
    public var connectTimeout: Duration
    /// Whole-transfer timeout for transfers whose options give none. Default 60 s.
    public var timeout: Duration

    /// Creates a configuration; every parameter has a sensible default.
    public init(
        connectionCacheSize: Int = 64,
        maximumConnectionsPerHost: Int? = nil,
        http2: Bool = true,
        userAgent: String = "Herald/1.0",
        caBundlePath: String? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60)
    ) {
        self.connectionCacheSize = connectionCacheSize
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
        self.http2 = http2
        self.userAgent = userAgent
        self.caBundlePath = caBundlePath
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// Per-transfer settings for ``CurlClient/execute(_:options:)`` and ``MailTransfer/options``.
public struct TransferOptions: Sendable, Hashable {
    /// Connect timeout for this transfer; `nil` uses ``CurlConfiguration/connectTimeout``.
    public var connectTimeout: Duration?
    /// Whole-transfer timeout for this transfer; `nil` uses ``CurlConfiguration/timeout``.
    public var timeout: Duration?
    /// URL schemes this transfer may use (`CURLOPT_PROTOCOLS_STR`, also applied to redirects).
    /// `nil` means `["http", "https"]` for HTTP requests and `["smtp", "smtps"]` for mail. A URL
    /// outside the list fails with ``CurlError/Code/protocolNotAllowed`` before anything is sent.
    ///
    /// Restricting matters because URLs come from configuration and plugins, and libcurl speaks about
    /// 25 protocols (file, gopher, dict, …).
    public var allowedProtocols: [String]?
    /// Follow `3xx` redirects. Off by default: webhooks should not silently go somewhere else, and a
    /// redirected `POST` may be replayed as a `GET`.
    public var followRedirects: Bool
    /// At most this many redirects when ``followRedirects`` is on.
    public var maximumRedirects: Int
    /// A response body longer than this fails the transfer (code ``CurlError/Code/other``), so a
    /// misbehaving server cannot exhaust the daemon's memory. Default 32 MiB.
    public var maximumResponseBytes: Int
    /// Open a new connection rather than reuse a pooled one (`CURLOPT_FRESH_CONNECT`). libcurl sends a request
    /// again by itself when a reused connection closes before the first byte of the reply; for a service that
    /// cannot recognise a repeat, that second copy could be a second post, and a fresh connection is never
    /// retried that way. Off by default: reuse saves a handshake per request.
    public var freshConnection: Bool

    /// Creates options; the defaults defer to the client's configuration.
    public init(
        connectTimeout: Duration? = nil,
        timeout: Duration? = nil,
        allowedProtocols: [String]? = nil,
        followRedirects: Bool = false,
        maximumRedirects: Int = 5,
        maximumResponseBytes: Int = 32 << 20,
        freshConnection: Bool = false
    ) {
        self.freshConnection = freshConnection
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.allowedProtocols = allowedProtocols
        self.followRedirects = followRedirects
        self.maximumRedirects = maximumRedirects
        self.maximumResponseBytes = maximumResponseBytes
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny positive timeout never becomes 0 ("no timeout").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(millis, 1))
    }
}
