/// An RFC 4180 row reader over UTF-8 bytes: quoted fields may hold delimiters, doubled quotes and
/// line breaks; a row ends at LF or CRLF. Fields are returned as byte ranges (quoted ones without
/// their outer quotes, with `quoted` set so that `""` is undone when the text is used).
struct CSVScanner {
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    struct Failure: Error {
        var line: Int
        var message: String
    }

    let bytes: UnsafeRawBufferPointer
    let delimiter: UInt8
    var index = 0
    /// The 1-based line the next row starts on.
    var line = 1
    private var fields: [Field] = []

    init(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    /// The next row's fields, or nil at the end.
    mutating func row() throws(Failure) -> [Field]? {
        guard index < bytes.count else { return nil }
        fields.removeAll(keepingCapacity: true)
        let rowLine = line
        while true {
            if index < bytes.count && bytes[index] == 0x22 {
                index += 1
                let start = index
                while true {
                    guard index < bytes.count else { throw Failure(line: rowLine, message: "a quoted field is never closed") }
                    let c = bytes[index]
                    if c == 0x22 {
                        if index + 1 < bytes.count && bytes[index + 1] == 0x22 { index += 2; continue }
                        break
                    }
                    if c == 0x0A { line += 1 }
                    index += 1
                }
                fields.append(Field(start: start, end: index, quoted: true))
                index += 1
                guard index < bytes.count else { break }
                let c = bytes[index]
                if c == delimiter { index += 1; continue }
                if c == 0x0A || c == 0x0D { break }
                throw Failure(line: line, message: "text after a closing quote")
            }
            let start = index
            let stops = CSVScanner.broadcast(delimiter)
            while index < bytes.count {
                // Eight bytes at a step (SWAR) up to the first that ends the field or is a quote.
                if index + 8 <= bytes.count {
                    let w = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let found = CSVScanner.matches(w, stops) | CSVScanner.matches(w, CSVScanner.lineFeeds)
                        | CSVScanner.matches(w, CSVScanner.returns) | CSVScanner.matches(w, CSVScanner.quotes)
                    if found == 0 {
                        index += 8
                        continue
                    }
                    index += found.trailingZeroBitCount >> 3
                }
                let c = bytes[index]
                if c == delimiter || c == 0x0A || c == 0x0D { break }
                if c == 0x22 { throw Failure(line: line, message: "a quote inside an unquoted field") }
                index += 1
            }
            fields.append(Field(start: start, end: index, quoted: false))
            if index < bytes.count && bytes[index] == delimiter { index += 1; continue }
            break
        }
        if index < bytes.count && bytes[index] == 0x0D { index += 1 }
        if index < bytes.count && bytes[index] == 0x0A { index += 1 }
        line += 1
        return fields
    }

    static let lineFeeds = broadcast(0x0A), returns = broadcast(0x0D), quotes = broadcast(0x22)

    /// `byte` in each of eight bytes.
    static func broadcast(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// The high bit of each byte of `w` (little-endian) that equals the byte `pattern` repeats; zero
    /// when none does. Only the lowest set bit is exact (a borrow can also mark a byte above a match),
    /// which is all the caller uses: where the first such byte is.
    @inline(__always) static func matches(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// A field's text, with doubled quotes undone.
    func text(_ field: Field) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.quoted else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        CSVUnescape.doubledQuotes(raw, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A CSV file's bytes as UTF-8: a UTF-8 byte-order mark is dropped, Windows-1252 is converted, and
/// bytes that are not UTF-8 are an error naming the line (never replaced with U+FFFD).
struct CSVText {
    private let converted: [UInt8]?
    private let original: UnsafeRawBufferPointer

    init(_ raw: UnsafeRawBufferPointer, encoding: TextEncoding, source: String, path: String) throws(GatheringError) {
        switch encoding {
        case .windows1252:
            converted = Windows1252.utf8(raw)
            original = raw
        case .utf8:
            var body = raw
            if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { body = UnsafeRawBufferPointer(rebasing: raw[3...]) }
            if let bad = CSVText.firstInvalidUTF8(body) {
                let line = body.prefix(bad).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw GatheringError(source: source, location: "\(path):\(line)",
                                     message: "the file is not UTF-8 (byte 0x\(String(body[bad], radix: 16, uppercase: true))); "
                                         + "if it was saved from Excel, set encoding: windows-1252")
            }
            converted = nil
            original = body
        }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let converted { return try converted.withUnsafeBytes(body) }
        return try body(original)
    }

    /// The offset of the first byte that is not part of valid UTF-8, or nil.
    static func firstInvalidUTF8(_ p: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        let n = p.count
        while i < n {
            // Eight ASCII bytes at a time: most of every real file.
            if i + 8 <= n, p.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            guard let (length, lower, upper) = ByteText.utf8Lead(c) else { return i }
            guard i + length <= n, p[i + 1] >= lower, p[i + 1] <= upper else { return i }
            for k in 2..<max(2, length) where p[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}

/// Windows-1252 to UTF-8. The five bytes the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90,
/// 0x9D) map to the C1 controls of the same value, as Python's and WHATWG's decoders do.
enum Windows1252 {
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func utf8(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + raw.count / 8)
        for b in raw {
            let scalar: UInt32 = b < 0x80 ? UInt32(b) : (b < 0xA0 ? high[Int(b) - 0x80] : UInt32(b))
            if scalar < 0x80 {
                out.append(UInt8(scalar))
            } else {
                out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
            }
        }
        return out
    }
}
