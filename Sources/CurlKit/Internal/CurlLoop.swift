import CCurl
import Foundation

/// The loop that drives one multi handle on its own thread. Created and used only on that thread, so
/// it needs no locking and no `Sendable` conformance; it talks to callers through ``LoopCore``.
final class CurlLoop {
    private let core: LoopCore
    private var multi: UnsafeMutableRawPointer { core.multi }
    /// Transfers added to the multi handle, by job id. Owning them here keeps the `Unmanaged` pointers
    /// given to libcurl valid.
    private var active: [UInt64: Transfer] = [:]
    /// Idle easy handles, reset and ready for reuse (saves allocation and keeps DNS/TLS session caches warm).
    private var pool: [EasyHandle] = []
    private let poolLimit = 256
    /// Jobs finished since the last batch; the core drops them from its `live` set.
    private var finished: [UInt64] = []

    /// Starts the loop thread for `core`. The thread holds the core (not the client) until it stops.
    static func start(core: LoopCore) {
        let thread = Thread { CurlLoop(core: core).run() }
        thread.name = "herald-curl"
        thread.start()
    }

    private init(core: LoopCore) {
        self.core = core
    }

    private func run() {
        while true {
            let batch = core.takeBatch(finished: finished)
            finished.removeAll(keepingCapacity: true)

            for job in batch.jobs {
                if batch.stopping {
                    job.completion.fail(.shutdown(url: Redaction.url(job.work.url)))
                } else if batch.cancels.contains(job.id) {
                    job.completion.fail(.cancelled(url: Redaction.url(job.work.url)))
                } else {
                    start(job)
                }
            }
            for id in batch.cancels {
                if let transfer = active[id] { abort(transfer, as: .cancelled) }
            }
            if batch.stopping {
                stop()
                return
            }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            readCompletions()
            // Sleeps until socket activity, libcurl's next timeout, or `curl_multi_wakeup` from
            // submit/cancel/shutdown; libcurl shortens the 1 s cap to its own timers.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ job: Job) {
        guard let easy = pool.popLast() ?? EasyHandle() else {
            job.completion.fail(CurlError(code: .other, message: "curl_easy_init failed",
                                          url: Redaction.url(job.work.url), requestMayHaveBeenSent: false))
            finished.append(job.id)
            return
        }
        let transfer = Transfer(job: job, easy: easy)
        if let error = transfer.configure(core.configuration) {
            recycle(easy)
            finished.append(job.id)
            job.completion.fail(error)
            return
        }
        let added = curl_multi_add_handle(multi, easy.raw)
        guard added == CURLM_OK else {
            recycle(easy)
            finished.append(job.id)
            let text = String(cString: curl_multi_strerror(added))
            job.completion.fail(CurlError(code: .other, message: text, url: transfer.redactedURL,
                                          requestMayHaveBeenSent: false))
            return
        }
        active[job.id] = transfer
    }

    private func readCompletions() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard ccurl_msg_is_done(message) != 0, let handle = ccurl_msg_easy(message) else { continue }
            let result = ccurl_msg_result(message)
            var pointer: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &pointer)
            guard let pointer else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(pointer).takeUnretainedValue()
            complete(transfer, result: result)
        }
    }

    private func complete(_ transfer: Transfer, result: CURLcode) {
        switch (transfer.job.completion, result) {
        case (.http(let continuation), CURLE_OK):
            let response = HTTPResponse(status: transfer.info(CURLINFO_RESPONSE_CODE),
                                        headers: transfer.responseHeaders, body: transfer.body)
            finish(transfer)
            continuation.resume(returning: .success(response))
        case (.mail(let continuation), CURLE_OK):
            let receipt = MailReceipt(responseCode: transfer.info(CURLINFO_RESPONSE_CODE), reply: transfer.lastReplyLine)
            finish(transfer)
            continuation.resume(returning: .success(receipt))
        default:
            let error = transfer.error(for: result)
            finish(transfer)
            transfer.job.completion.fail(error)
        }
    }

    /// Removes an unfinished transfer (cancel, shutdown) and fails its caller.
    private func abort(_ transfer: Transfer, as code: CurlError.Code) {
        // Read the transfer info before the handle is removed and reset.
        let error = transfer.error(for: CURLE_ABORTED_BY_CALLBACK, override: code)
        finish(transfer)
        transfer.job.completion.fail(error)
    }

    private func finish(_ transfer: Transfer) {
        _ = curl_multi_remove_handle(multi, transfer.easy.raw)
        active[transfer.job.id] = nil
        finished.append(transfer.job.id)
        recycle(transfer.easy)
    }

    private func recycle(_ easy: EasyHandle) {
        // Reset drops every option (and our pointers into the old Transfer) but keeps the handle's
        // caches; connections themselves live in the multi handle's cache.
        curl_easy_reset(easy.raw)
        if pool.count < poolLimit { pool.append(easy) }
    }

    private func stop() {
        for transfer in Array(active.values) { abort(transfer, as: .shutdown) }
        pool.removeAll()  // curl_easy_cleanup each, before the multi handle goes
        curl_multi_cleanup(multi)
        for waiter in core.markStopped() { waiter.resume() }
    }
}
