/// Undoing JSON string escapes and CSV doubled quotes, for the few values that have them.
enum JSONUnescape {
    /// Appends the UTF-8 of the JSON string content `raw` (already checked by ``JSONCursor``).
    static func unescape(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = raw.count
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in at..<(at + 4) { v = v << 4 | (JSONCursor.hexValue(raw[k]) ?? 0) }
            return v
        }
        while i < n {
            let c = raw[i]
            guard c == 0x5C else { out.append(c); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= n, raw[i] == 0x5C, raw[i + 1] == 0x75 {
                    let low = hex4(i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                // A lone surrogate cannot be UTF-8; it becomes U+FFFD, as every JSON decoder does.
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(s).utf8)
            default: out.append(e)
            }
        }
    }
}

enum CSVUnescape {
    /// Appends a quoted CSV field's content with each `""` made `"`.
    static func doubledQuotes(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += (raw[i] == 0x22 && i + 1 < raw.count && raw[i + 1] == 0x22) ? 2 : 1
        }
    }
}

/// A buffer whose bytes stay put until the next ``hold(_:)``: unescaped text is handed out as a
/// raw buffer without the lifetime rules of `Array.withUnsafeBytes`.
final class HeldBytes {
    private var pointer: UnsafeMutableRawPointer
    private var capacity: Int

    init() {
        capacity = 256
        pointer = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { pointer.deallocate() }

    func hold(_ bytes: [UInt8]) -> UnsafeRawBufferPointer {
        if bytes.count > capacity {
            pointer.deallocate()
            capacity = max(bytes.count, capacity * 2)
            pointer = .allocate(byteCount: capacity, alignment: 8)
        }
        bytes.withUnsafeBytes { if !$0.isEmpty { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        return UnsafeRawBufferPointer(start: pointer, count: bytes.count)
    }
}
