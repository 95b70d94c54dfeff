import CCurl
import Foundation

/// A pooled libcurl easy handle plus its error buffer. Lives only on the loop thread.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER` target. libcurl does not copy it, so it lives as long as the handle.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
        let size = ccurl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }
}

/// One transfer in flight: the job, its easy handle, the option data libcurl does not copy (header and
/// recipient lists), and the response as it arrives. Owned by the loop thread's `active` table, which
/// keeps it alive while libcurl holds `Unmanaged` pointers to it (callback userdata, CURLOPT_PRIVATE).
final class Transfer {
    let job: Job
    let easy: EasyHandle
    let redactedURL: String
    /// Strings that must never appear in an error message (passwords, URL userinfo).
    private(set) var secrets: [String] = []

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?

    // Response.
    var responseHeaders: [HTTPHeader] = []
    var body = Data()
    var maximumBodyBytes = Int.max
    var bodyTooLarge = false
    /// The last line the server sent on the control channel (SMTP replies arrive via HEADERFUNCTION).
    var lastReplyLine = ""

    // Upload (SMTP DATA).
    var upload = Data()
    var uploadOffset = 0
    /// Set when READFUNCTION returned 0: libcurl has the whole message and will end DATA.
    var uploadReachedEnd = false

    var isMail: Bool { if case .mail = job.work { true } else { false } }

    init(job: Job, easy: EasyHandle) {
        self.job = job
        self.easy = easy
        self.redactedURL = Redaction.url(job.work.url)
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(recipientList)
    }

    /// Sets every option for the job on a freshly reset handle. Returns an error instead of starting
    /// when the request is invalid or libcurl rejects an option.
    func configure(_ configuration: CurlConfiguration) -> CurlError? {
        let h = easy.raw
        let options: TransferOptions
        let defaultProtocols: String
        switch job.work {
        case .http(_, let o): options = o; defaultProtocols = "http,https"
        case .mail(let mail): options = mail.options; defaultProtocols = "smtp,smtps"
        }
        secrets += Self.userinfoSecrets(in: job.work.url)

        easy.errorBuffer[0] = 0
        let protocols = options.allowedProtocols.map { $0.joined(separator: ",") } ?? defaultProtocols
        var status = ccurl_easy_setopt_string(h, CURLOPT_URL, job.work.url)
        // Checked before anything else fails so that a disallowed scheme reports as such.
        if status == CURLE_OK { status = ccurl_easy_setopt_string(h, CURLOPT_PROTOCOLS_STR, protocols) }
        if status == CURLE_OK { status = ccurl_easy_setopt_string(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols) }
        guard status == CURLE_OK else {
            let (code, _) = CurlError.classify(status)
            return CurlError(code: code, curlCode: Int(status.rawValue), message: errorMessage(status),
                             url: redactedURL, requestMayHaveBeenSent: false)
        }

        let pointerToSelf = Unmanaged.passUnretained(self).toOpaque()
        var results: [CURLcode] = [
            // Signals are process-wide; a library in a threaded daemon must not use them.
            ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1),
            ccurl_easy_setopt_pointer(h, CURLOPT_ERRORBUFFER, easy.errorBuffer),
            ccurl_easy_setopt_pointer(h, CURLOPT_PRIVATE, pointerToSelf),
            ccurl_easy_setopt_data_cb(h, CURLOPT_WRITEFUNCTION, transferWriteCallback),
            ccurl_easy_setopt_pointer(h, CURLOPT_WRITEDATA, pointerToSelf),
            ccurl_easy_setopt_data_cb(h, CURLOPT_HEADERFUNCTION, transferHeaderCallback),
            ccurl_easy_setopt_pointer(h, CURLOPT_HEADERDATA, pointerToSelf),
            // Verification is on by default; set explicitly so no reused handle could carry anything else.
            ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1),
            ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2),
            ccurl_easy_setopt_long(
                h, CURLOPT_CONNECTTIMEOUT_MS, (options.connectTimeout ?? configuration.connectTimeout).curlMilliseconds),
            ccurl_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, (options.timeout ?? configuration.timeout).curlMilliseconds),
        ]
        if let ca = configuration.caBundlePath {
            results.append(ccurl_easy_setopt_string(h, CURLOPT_CAINFO, ca))
        }
        maximumBodyBytes = options.maximumResponseBytes

        switch job.work {
        case .http(let request, let options):
            if let error = configureHTTP(request, options, configuration, into: &results) { return error }
        case .mail(let mail):
            if let error = configureMail(mail, into: &results) { return error }
        }
        if let failed = results.first(where: { $0 != CURLE_OK }) {
            let (code, _) = CurlError.classify(failed)
            return CurlError(code: code, curlCode: Int(failed.rawValue), message: errorMessage(failed),
                             url: redactedURL, requestMayHaveBeenSent: false)
        }
        return nil
    }

    private func configureHTTP(
        _ request: HTTPRequest, _ options: TransferOptions, _ configuration: CurlConfiguration,
        into results: inout [CURLcode]
    ) -> CurlError? {
        let h = easy.raw
        let method = request.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
            return .invalid("invalid HTTP method", url: redactedURL)
        }
        var lines: [String] = []
        for header in request.headers {
            guard Self.isSafeHeaderText(header.name), !header.name.isEmpty, !header.name.contains(":"),
                  Self.isSafeHeaderText(header.value)
            else { return .invalid("header \(Self.printable(header.name)) contains a line break or NUL", url: redactedURL) }
            // libcurl reads "Name:" as "remove this header"; "Name;" is its syntax for an empty value.
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // An empty Expect: stops libcurl adding `Expect: 100-continue` to large bodies, which costs a
        // round trip (or a 1 s stall on servers that ignore it).
        if request.header("Expect") == nil { lines.append("Expect:") }
        for line in lines { headerList = curl_slist_append(headerList, line) }

        results.append(ccurl_easy_setopt_slist(h, CURLOPT_HTTPHEADER, headerList))
        results.append(ccurl_easy_setopt_string(h, CURLOPT_USERAGENT, configuration.userAgent))
        let version = configuration.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1
        results.append(ccurl_easy_setopt_long(h, CURLOPT_HTTP_VERSION, Int(version)))
        results.append(ccurl_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0))
        results.append(ccurl_easy_setopt_long(h, CURLOPT_FRESH_CONNECT, options.freshConnection ? 1 : 0))
        results.append(ccurl_easy_setopt_long(h, CURLOPT_MAXREDIRS, options.maximumRedirects))

        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)
        if method == "HEAD" {
            results.append(ccurl_easy_setopt_long(h, CURLOPT_NOBODY, 1))
        } else if sendsBody {
            // COPYPOSTFIELDS copies the bytes now, so the body's lifetime is not tied to the transfer.
            // The size must be set first, or libcurl would stop at the first NUL byte.
            results.append(ccurl_easy_setopt_off_t(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            if request.body.isEmpty {
                // A non-null pointer: NULL would mean "read the body from READFUNCTION".
                results.append(ccurl_easy_setopt_string(h, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                results.append(request.body.withUnsafeBytes { raw in
                    ccurl_easy_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                })
            }
            if method != "POST" { results.append(ccurl_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, method)) }
        } else if method == "GET" {
            results.append(ccurl_easy_setopt_long(h, CURLOPT_HTTPGET, 1))
        } else {
            results.append(ccurl_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, method))
        }
        return nil
    }

    private func configureMail(_ mail: MailTransfer, into results: inout [CURLcode]) -> CurlError? {
        let h = easy.raw
        guard !mail.recipients.isEmpty else { return .invalid("a mail needs at least one recipient", url: redactedURL) }
        for address in [mail.from] + mail.recipients where !Self.isSafeAddress(address) {
            return .invalid("envelope address \(Self.printable(address)) is not a plain address", url: redactedURL)
        }
        for address in mail.recipients { recipientList = curl_slist_append(recipientList, "<\(address)>") }
        if let password = mail.password { secrets.append(password) }
        upload = mail.message

        results.append(ccurl_easy_setopt_string(h, CURLOPT_MAIL_FROM, "<\(mail.from)>"))
        results.append(ccurl_easy_setopt_slist(h, CURLOPT_MAIL_RCPT, recipientList))
        results.append(ccurl_easy_setopt_long(h, CURLOPT_UPLOAD, 1))
        results.append(ccurl_easy_setopt_data_cb(h, CURLOPT_READFUNCTION, transferReadCallback))
        results.append(ccurl_easy_setopt_pointer(h, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque()))
        results.append(ccurl_easy_setopt_off_t(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(mail.message.count)))
        let useSSL: curl_usessl = switch mail.starttls.base {
        case .required: CURLUSESSL_ALL
        case .opportunistic: CURLUSESSL_TRY
        case .none: CURLUSESSL_NONE
        }
        results.append(ccurl_easy_setopt_long(h, CURLOPT_USE_SSL, Int(useSSL.rawValue)))
        // Credentials go in options rather than the URL so they never appear in a URL we might echo.
        if let username = mail.username { results.append(ccurl_easy_setopt_string(h, CURLOPT_USERNAME, username)) }
        if let password = mail.password { results.append(ccurl_easy_setopt_string(h, CURLOPT_PASSWORD, password)) }
        return nil
    }

    // MARK: - Outcome

    /// The error for a failed (or cancelled, or shut-down) transfer, reading libcurl's transfer info to
    /// decide ``CurlError/requestMayHaveBeenSent`` as documented there.
    func error(for result: CURLcode, override: CurlError.Code? = nil) -> CurlError {
        let (classified, certainlyNotSent) = CurlError.classify(result)
        var code = override ?? classified
        var message = override == nil ? errorMessage(result) : ""
        if override == nil, bodyTooLarge {
            code = .other
            message = "response body exceeds \(maximumBodyBytes) bytes"
        }
        if override == .cancelled { message = "the calling task was cancelled" }
        if override == .shutdown { message = "the curl client has been shut down" }
        let reply = info(CURLINFO_RESPONSE_CODE)
        return CurlError(
            code: code,
            curlCode: override == nil ? Int(result.rawValue) : 0,
            message: message,
            url: redactedURL,
            responseCode: reply > 0 ? reply : nil,
            requestMayHaveBeenSent: mayHaveBeenSent(certainlyNotSent: override == nil && certainlyNotSent)
        )
    }

    private func mayHaveBeenSent(certainlyNotSent: Bool) -> Bool {
        if isMail { return uploadReachedEnd }
        if certainlyNotSent { return false }
        var pretransfer: curl_off_t = 0
        var uploaded: curl_off_t = 0
        _ = ccurl_easy_getinfo_off_t(easy.raw, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
        _ = ccurl_easy_getinfo_off_t(easy.raw, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        return pretransfer > 0 || info(CURLINFO_REQUEST_SIZE) > 0 || uploaded > 0
    }

    func info(_ what: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_easy_getinfo_long(easy.raw, what, &value)
        return value
    }

    private func errorMessage(_ result: CURLcode) -> String {
        var text = String(cString: easy.errorBuffer)
        if text.isEmpty { text = String(cString: curl_easy_strerror(result)) }
        while text.last?.isNewline == true { text.removeLast() }
        return Redaction.message(text, secrets: secrets)
    }

    // MARK: - Validation helpers

    private static func isSafeHeaderText(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }

    private static func isSafeAddress(_ address: String) -> Bool {
        !address.isEmpty && !address.utf8.contains { $0 <= 32 || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == 127 }
    }

    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(40).map { $0.value < 32 ? "?" : $0 }))
    }

    /// `user:password` and `password` (raw and percent-decoded) from `scheme://user:password@host/`, so
    /// error text can be scrubbed of them.
    private static func userinfoSecrets(in url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [] }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return [] }
        let userinfo = authority[..<at]
        var secrets = [String(userinfo)]
        if let colon = userinfo.firstIndex(of: ":") {
            secrets.append(String(userinfo[userinfo.index(after: colon)...]))
            secrets.append(String(userinfo[userinfo.index(after: colon)...]).removingPercentEncoding ?? "")
        }
        return secrets.filter { !$0.isEmpty }
    }
}
