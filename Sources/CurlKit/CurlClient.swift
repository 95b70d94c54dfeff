import CCurl
import Synchronization

/// Async HTTP and SMTP over one libcurl multi handle, driven by one dedicated thread.
///
/// All transfers of a client share its connection cache, DNS cache and TLS sessions, so keep one
/// client for the daemon's lifetime and call ``shutdown()`` before exiting (in a daemon, from a
/// service-lifecycle `Service`): it fails pending transfers, closes connections and frees libcurl's
/// handles, which also avoids OpenSSL tear-down races at process exit.
///
/// ```swift
/// let client = CurlClient(configuration: .init(userAgent: "Herald/1.0"))
/// let response = try await client.execute(HTTPRequest(method: "POST", url: hook, body: json))
/// await client.shutdown()
/// ```
///
/// Every transfer has `CURLOPT_NOSIGNAL` set, and the first client to start a transfer ignores `SIGPIPE`
/// for the whole process (a write to a peer-closed socket would otherwise kill it). libcurl itself is
/// loaded (dlopen) and initialised by that first transfer, so a client that never sends costs nothing.
/// TLS verification is always on. Proxies follow the standard environment variables (see ``CurlConfiguration``).
public final class CurlClient: Sendable {
    /// The loop is started by the first transfer, not by `init`: a daemon creates its client at start
    /// but may send nothing for weeks, and loading and initialising libcurl (with its TLS libraries)
    /// costs about 8 MB of resident memory and a thread.
    private enum State {
        case notStarted
        case started(LoopCore)
        case shutDown
    }

    private let configuration: CurlConfiguration
    private let state = Mutex(State.notStarted)

    /// Creates a client; its loop thread starts with the first transfer.
    public init(configuration: CurlConfiguration = .init()) {
        self.configuration = configuration
    }

    deinit {
        // The loop thread holds only the core, so a forgotten client still stops its thread and frees
        // its handles; nobody waits for it.
        if case .started(let core) = state.withLock({ $0 }) { core.requestShutdown(waiter: nil) }
    }

    /// Sends an HTTP request and returns the response, whatever its status.
    ///
    /// Only `http` and `https` URLs are allowed unless `options` says otherwise; redirects are not
    /// followed unless `options` says so. An `Expect:` header is sent empty (no `100-continue` round
    /// trip), and the request's own `User-Agent` header, if any, wins over the configured one.
    ///
    /// Cancelling the calling task aborts the transfer and throws ``CurlError/Code/cancelled``
    /// promptly; ``CurlError/requestMayHaveBeenSent`` then says whether it had already gone out.
    ///
    /// - Throws: ``CurlError`` when no complete response arrived. HTTP error statuses are responses.
    public func execute(_ request: HTTPRequest, options: TransferOptions = .init()) async throws(CurlError) -> HTTPResponse {
        try await perform(.http(request, options)) { Completion.http($0) }.get()
    }

    /// Submits one mail over SMTP on the same loop as HTTP requests.
    ///
    /// The envelope (``MailTransfer/from``, ``MailTransfer/recipients``) is what the server routes on;
    /// the message's own `From:`/`To:` headers are not consulted. libcurl fails the whole send if any
    /// recipient is refused.
    ///
    /// - Throws: ``CurlError``; for a refused command ``CurlError/responseCode`` holds the SMTP reply
    ///   code, and ``CurlError/requestMayHaveBeenSent`` is `true` only if the whole message had been
    ///   handed over when the failure happened.
    public func send(_ mail: MailTransfer) async throws(CurlError) -> MailReceipt {
        try await perform(.mail(mail)) { Completion.mail($0) }.get()
    }

    /// Stops the loop: pending and in-flight transfers fail with ``CurlError/Code/shutdown``, later
    /// calls fail the same way at once, connections are closed and libcurl's handles freed. Returns
    /// when all of that is done. Calling it again is harmless.
    public func shutdown() async {
        let core: LoopCore? = state.withLock { state in
            switch state {
            case .started(let core): return core
            case .notStarted, .shutDown:
                state = .shutDown
                return nil
            }
        }
        guard let core else { return }
        await withCheckedContinuation { continuation in
            core.requestShutdown(waiter: continuation)
        }
    }

    /// The running loop, started on first use; a failure if the client is shut down or libcurl
    /// cannot be loaded or initialised.
    private func startedCore(for work: Work) -> Result<LoopCore, CurlError> {
        state.withLock { state in
            switch state {
            case .started(let core):
                return .success(core)
            case .shutDown:
                return .failure(.shutdown(url: Redaction.url(work.url)))
            case .notStarted:
                guard CurlGlobal.initialised else {
                    let why = String(cString: ccurl_load_error())
                    return .failure(CurlError(
                        code: .other, message: "libcurl could not be initialised\(why.isEmpty ? "" : ": " + why)",
                        url: Redaction.url(work.url), requestMayHaveBeenSent: false))
                }
                let core = LoopCore(configuration: configuration)
                CurlLoop.start(core: core)
                state = .started(core)
                return .success(core)
            }
        }
    }

    private func perform<Value: Sendable>(
        _ work: Work,
        wrap: (CheckedContinuation<Result<Value, CurlError>, Never>) -> Completion
    ) async -> Result<Value, CurlError> {
        let core: LoopCore
        switch startedCore(for: work) {
        case .success(let started): core = started
        case .failure(let error): return .failure(error)
        }
        let id = core.nextID()
        if Task.isCancelled { return .failure(.cancelled(url: Redaction.url(work.url))) }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                core.submit(Job(id: id, work: work, completion: wrap(continuation)))
            }
        } onCancel: { [core] in
            core.cancel(id)
        }
        core.forget(id)
        return result
    }
}
