import CCurl
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a caller asked for. Crosses from the calling task to the loop thread, so it is `Sendable`.
enum Work: Sendable {
    case http(HTTPRequest, TransferOptions)
    case mail(MailTransfer)

    var url: String {
        switch self {
        case .http(let request, _): request.url
        case .mail(let mail): mail.url
        }
    }
}

/// Where the outcome goes. Each case wraps a `CheckedContinuation`, which is `Sendable`; it is resumed
/// exactly once, by whichever of the loop or the submit path finishes the job.
enum Completion: Sendable {
    case http(CheckedContinuation<Result<HTTPResponse, CurlError>, Never>)
    case mail(CheckedContinuation<Result<MailReceipt, CurlError>, Never>)

    func fail(_ error: CurlError) {
        switch self {
        case .http(let continuation): continuation.resume(returning: .failure(error))
        case .mail(let continuation): continuation.resume(returning: .failure(error))
        }
    }
}

/// A submitted transfer waiting in the inbox for the loop thread.
struct Job: Sendable {
    let id: UInt64
    let work: Work
    let completion: Completion
}

/// Process-wide libcurl set-up, done once before the first multi handle is created.
enum CurlGlobal {
    /// `static let` initialisers run exactly once and thread-safely (swift_once), which is what
    /// `curl_global_init` requires. SIGPIPE is ignored here because every handle sets
    /// `CURLOPT_NOSIGNAL` (required in a multi-threaded process), and with it libcurl no longer shields
    /// writes to a peer-closed socket from raising SIGPIPE, which would kill the daemon.
    static let initialised: Bool = {
        _ = signal(SIGPIPE, SIG_IGN)
        return ccurl_global_init_once() == CURLE_OK
    }()
}
