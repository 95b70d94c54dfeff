/// A strict RFC 8259 reader over raw bytes that never builds a tree: the grant reader asks it for
/// the next key, a string's bytes, a number's text, or to step over a value it has no use for.
///
/// Every byte is checked as the document is read, including those of skipped values and the UTF-8
/// of every string, so a file that is not JSON is rejected whichever parts Herald uses.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var index: Int
    var depth = 0

    init(_ bytes: UnsafeRawBufferPointer, at index: Int = 0) {
        base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        end = bytes.count
        self.index = index
    }

    /// A JSON syntax error at a byte offset; the caller turns the offset into line and column.
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    func fail(_ message: String) -> Failure { Failure(offset: index, message: message) }

    @inline(__always) var atEnd: Bool { index >= end }
    @inline(__always) var byte: UInt8 { index < end ? base[index] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while index < end {
            let c = base[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    @inline(__always) mutating func expect(_ c: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard index < end, base[index] == c else { throw fail(index < end ? "expected \(what)" : "unexpected end of data, expected \(what)") }
        index += 1
    }

    /// After a value inside a container: true if a `,` follows, false at `close`.
    @inline(__always) mutating func next(close: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard index < end else { throw fail("unexpected end of data") }
        let c = base[index]
        index += 1
        if c == 0x2C { return true }
        if c == close { return false }
        index -= 1
        throw fail(close == 0x7D ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element")
    }

    /// Opens an object (`{` read); returns false if it is empty (`}` read too).
    mutating func openObject() throws(Failure) -> Bool {
        try enter()
        skipWhitespace()
        if byte == 0x7D { index += 1; depth -= 1; return false }
        return true
    }

    /// Opens an array (`[` read); returns false if it is empty.
    mutating func openArray() throws(Failure) -> Bool {
        try enter()
        skipWhitespace()
        if byte == 0x5D { index += 1; depth -= 1; return false }
        return true
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        // Deep nesting would only exhaust the stack; no real data nests this far.
        guard depth <= 512 else { throw fail("nesting deeper than 512 levels") }
        index += 1
    }

    /// Closes the innermost container once ``next(close:)`` returned false.
    @inline(__always) mutating func leave() { depth -= 1 }

    /// Reads an object key and its `:`; returns the key's bytes range (escapes are rare in keys: an
    /// escaped key is returned with `escaped` set and compared after unescaping by the caller).
    mutating func key() throws(Failure) -> (start: Int, end: Int, escaped: Bool) {
        skipWhitespace()
        guard byte == 0x22 else { throw fail("expected a string key") }
        let k = try string()
        try expect(0x3A, "':' after a key")
        skipWhitespace()
        return k
    }

    /// Reads a string at the cursor (`"` next); returns its content's byte range, escapes still in.
    mutating func string() throws(Failure) -> (start: Int, end: Int, escaped: Bool) {
        index += 1
        let start = index
        var escaped = false
        while index < end {
            // Eight bytes at a step (SWAR) up to the first quote, backslash, control character or
            // byte above ASCII, which the code below then handles one byte at a time.
            if index + 8 <= end {
                let special = JSONCursor.specialBytes(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if special == 0 {
                    index += 8
                    continue
                }
                index += special.trailingZeroBitCount >> 3
            }
            let c = base[index]
            if c == 0x22 {
                index += 1
                return (start, index - 1, escaped)
            }
            if c == 0x5C {
                escaped = true
                index += 1
                guard index < end else { break }
                switch base[index] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: index += 1
                case 0x75:
                    guard index + 4 < end, (1...4).allSatisfy({ JSONCursor.hexValue(base[index + $0]) != nil }) else {
                        throw fail("invalid \\u escape")
                    }
                    index += 5
                default: throw fail("invalid escape in a string")
                }
            } else if c < 0x20 {
                throw fail("control character in a string")
            } else if c < 0x80 {
                index += 1
            } else {
                try utf8Sequence()
            }
        }
        throw fail("unterminated string")
    }

    /// The high bit of each of the eight bytes of `w` (little-endian) that is a quote, a backslash,
    /// below 0x20 or above 0x7F; zero when there is none. Only the lowest set bit is exact (a borrow
    /// can also mark a byte above a match), which is all the caller uses: where the first such byte is.
    @inline(__always) static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zero(w ^ (ones &* 0x22))
        let backslash = zero(w ^ (ones &* 0x5C))
        let control = (w &- ones &* 0x20) & ~w & highs
        return (w & highs) | quote | backslash | control
    }

    /// Checks one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() throws(Failure) {
        let c = base[index]
        guard let (length, lower, upper) = ByteText.utf8Lead(c) else { throw fail("invalid UTF-8") }
        guard index + length <= end else { throw fail("invalid UTF-8") }
        let second = base[index + 1]
        guard second >= lower && second <= upper else { throw fail("invalid UTF-8") }
        for k in 2..<max(2, length) where base[index + k] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
        index += length
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Reads a number at the cursor, checking the JSON grammar; returns its text's range.
    mutating func number() throws(Failure) -> (start: Int, end: Int) {
        let start = index
        if byte == 0x2D { index += 1 }
        guard index < end, base[index] >= 0x30 && base[index] <= 0x39 else { throw fail("invalid number") }
        if base[index] == 0x30 {
            index += 1
        } else {
            while index < end, base[index] >= 0x30 && base[index] <= 0x39 { index += 1 }
        }
        if byte == 0x2E {
            index += 1
            guard index < end, base[index] >= 0x30 && base[index] <= 0x39 else { throw fail("invalid number") }
            while index < end, base[index] >= 0x30 && base[index] <= 0x39 { index += 1 }
        }
        if byte == 0x65 || byte == 0x45 {
            index += 1
            if byte == 0x2B || byte == 0x2D { index += 1 }
            guard index < end, base[index] >= 0x30 && base[index] <= 0x39 else { throw fail("invalid number") }
            while index < end, base[index] >= 0x30 && base[index] <= 0x39 { index += 1 }
        }
        return (start, index)
    }

    /// Reads `true`, `false` or `null`.
    mutating func literal() throws(Failure) -> RawValue {
        func matches(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard index + n <= end else { return false }
            for k in 0..<n where base[index + k] != text.utf8Start[k] { return false }
            return true
        }
        if matches("true") { index += 4; return .bool(true) }
        if matches("false") { index += 5; return .bool(false) }
        if matches("null") { index += 4; return .null }
        throw fail("unexpected character")
    }

    /// Reads any value, keeping a scalar's position and stepping over (while checking) a container.
    mutating func value() throws(Failure) -> RawValue {
        skipWhitespace()
        guard index < end else { throw fail("unexpected end of data") }
        switch base[index] {
        case 0x22:
            let s = try string()
            return .string(start: s.start, end: s.end, escaped: s.escaped)
        case 0x7B:
            let start = index
            try skipValue()
            return .object(start: start, end: index)
        case 0x5B:
            let start = index
            try skipValue()
            return .array(start: start, end: index)
        case 0x2D, 0x30...0x39:
            let n = try number()
            return .number(start: n.start, end: n.end)
        default:
            return try literal()
        }
    }

    /// Steps over one value, checking it.
    mutating func skipValue() throws(Failure) {
        skipWhitespace()
        guard index < end else { throw fail("unexpected end of data") }
        switch base[index] {
        case 0x7B:
            guard try openObject() else { return }
            repeat {
                _ = try key()
                try skipValue()
            } while try next(close: 0x7D)
            leave()
        case 0x5B:
            guard try openArray() else { return }
            repeat { try skipValue() } while try next(close: 0x5D)
            leave()
        case 0x22: _ = try string()
        case 0x2D, 0x30...0x39: _ = try number()
        default: _ = try literal()
        }
    }

    /// Whether bytes `start..<end` equal `text`.
    @inline(__always) func equals(_ start: Int, _ stop: Int, _ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard stop - start == n else { return false }
        return memcmp(base + start, text.utf8Start, n) == 0
    }
}

/// A value the grant reader kept: where it is, and what it is.
enum RawValue {
    case missing
    case null
    case bool(Bool)
    case number(start: Int, end: Int)
    case string(start: Int, end: Int, escaped: Bool)
    case array(start: Int, end: Int)
    case object(start: Int, end: Int)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
