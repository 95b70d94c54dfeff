import CCurl
import Foundation

// libcurl calls these from `curl_multi_perform` on the loop thread. They are non-capturing C function
// pointers; the `Transfer` arrives as userdata (`Unmanaged`, unretained: the loop's `active` table
// owns it for as long as libcurl can call back).

/// WRITEFUNCTION: append body bytes, refusing (which aborts the transfer) past the size limit.
let transferWriteCallback: ccurl_data_cb = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    if transfer.body.count + length > transfer.maximumBodyBytes {
        transfer.bodyTooLarge = true
        return 0
    }
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append($0, count: length) }
    return length
}

/// HEADERFUNCTION: one complete header line per call (status lines and the blank line included). For
/// SMTP, libcurl passes every server reply line here instead.
let transferHeaderCallback: ccurl_data_cb = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    // Work on bytes: Swift treats "\r\n" as one Character, so String-level trimming is error-prone.
    var end = length
    while end > 0, bytes[end - 1] == 13 || bytes[end - 1] == 10 { end -= 1 }
    let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    transfer.receiveHeaderLine(line)
    return length
}

/// READFUNCTION: hand libcurl the next slice of the mail message; 0 means end of data.
let transferReadCallback: ccurl_data_cb = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let remaining = transfer.upload.count - transfer.uploadOffset
    let length = min(size * count, remaining)
    if length == 0 {
        transfer.uploadReachedEnd = true
        return 0
    }
    let start = transfer.upload.startIndex + transfer.uploadOffset
    transfer.upload.copyBytes(
        to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
        from: start..<(start + length))
    transfer.uploadOffset += length
    return length
}

extension Transfer {
    func receiveHeaderLine(_ line: String) {
        if isMail {
            if !line.isEmpty { lastReplyLine = line }
            return
        }
        if line.hasPrefix("HTTP/") {
            // A new response starts (after `100 Continue`, or a followed redirect): keep only the last.
            responseHeaders.removeAll(keepingCapacity: true)
            body.removeAll(keepingCapacity: true)
            return
        }
        if line.isEmpty { return }
        if line.first == " " || line.first == "\t", var last = responseHeaders.popLast() {
            // Obsolete line folding: a continuation of the previous header's value.
            last.value += " " + line.trimmingCharacters(in: .whitespaces)
            responseHeaders.append(last)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders.append(HTTPHeader(name, value))
    }
}
