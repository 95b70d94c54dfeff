/// Reading numbers and dates straight from UTF-8 bytes, by the rules the 360Giving standard gives,
/// without making strings: on a million grants `Decimal(string:)`, `ISO8601DateFormatter` and
/// `LocalDate(parsing:)` would cost more than reading the file.
enum ByteText {
    /// A plain decimal's exact parts: `-?digits(.digits)?((e|E)[+-]?digits)?` as integer mantissa and
    /// power of ten. Nil when the text has any other form (a currency sign, a comma, a suffix, a space)
    /// or a mantissa beyond 64 bits (the caller then keeps the text, which `Decimal` reads exactly).
    static func decimal(_ p: UnsafeRawBufferPointer, allowExponent: Bool) -> (mantissa: UInt64, exponent: Int32, negative: Bool)? {
        var i = 0
        let n = p.count
        var negative = false
        if i < n && p[i] == 0x2D { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var exponent: Int32 = 0
        var digits = 0
        var significant = false
        // Appends one digit to the mantissa (leading zeros add nothing); false when it would overflow 64 bits.
        func append(_ digit: UInt8) -> Bool {
            let d = UInt64(digit - 0x30)
            guard d != 0 || significant else { return true }
            significant = true
            let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(d)
            mantissa = m2
            return !(o1 || o2)
        }
        while i < n, p[i] >= 0x30 && p[i] <= 0x39 {
            guard append(p[i]) else { return nil }
            digits += 1; i += 1
        }
        guard digits > 0 else { return nil }
        if i < n && p[i] == 0x2E {
            i += 1
            var fraction = 0
            while i < n, p[i] >= 0x30 && p[i] <= 0x39 {
                guard append(p[i]) else { return nil }
                exponent -= 1; fraction += 1; i += 1
            }
            guard fraction > 0 else { return nil }
        }
        if allowExponent && i < n && (p[i] == 0x65 || p[i] == 0x45) {
            i += 1
            var sign: Int32 = 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { sign = p[i] == 0x2D ? -1 : 1; i += 1 }
            var e: Int32 = 0
            var expDigits = 0
            while i < n, p[i] >= 0x30 && p[i] <= 0x39 {
                guard e < 10_000 else { return nil }
                e = e * 10 + Int32(p[i] - 0x30); i += 1; expDigits += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += sign * e
        }
        guard i == n else { return nil }
        // Decimal holds exponents within ±127.
        guard mantissa == 0 || (-127...127).contains(exponent) else { return nil }
        return (mantissa, mantissa == 0 ? 0 : exponent, negative && mantissa != 0)
    }

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date followed by `T` or a space and a time (ignored, as
    /// the standard says of award dates): packed as ``SnapshotArchive/AwardRow/packDate``; nil if not a real date.
    static func localDate(_ p: UnsafeRawBufferPointer) -> (packed: UInt32, precision: Int)? {
        var n = p.count
        while n > 0 && p[n - 1] == 0x20 { n -= 1 }
        var s = 0
        while s < n && p[s] == 0x20 { s += 1 }
        func digits(_ at: Int, _ count: Int) -> Int? { ByteText.digits(p, at: at, count: count, end: n) }
        let length = n - s
        guard let year = digits(s, 4), (1...9999).contains(year) else { return nil }
        if length == 4 { return (UInt32(year) << 16, 0) }
        guard length >= 7, p[s + 4] == 0x2D, let month = digits(s + 5, 2), (1...12).contains(month) else { return nil }
        if length == 7 { return (UInt32(year) << 16 | UInt32(month) << 8, 1) }
        guard length >= 10, p[s + 7] == 0x2D, let day = digits(s + 8, 2),
            day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        if length > 10 {
            guard p[s + 10] == 0x54 || p[s + 10] == 0x20 || p[s + 10] == 0x74 else { return nil }
        }
        return (UInt32(year) << 16 | UInt32(month) << 8 | UInt32(day), 2)
    }

    /// An RFC 3339 date-time (`2013-02-15T09:30:00Z`, `…+01:00`, fractional seconds allowed) as
    /// seconds since 2001-01-01T00:00:00Z; nil for anything else.
    static func dateTime(_ p: UnsafeRawBufferPointer) -> Double? {
        let n = p.count
        func digits(_ at: Int, _ count: Int) -> Int? { ByteText.digits(p, at: at, count: count, end: n) }
        guard n >= 20, let year = digits(0, 4), p[4] == 0x2D, let month = digits(5, 2), p[7] == 0x2D,
            let day = digits(8, 2), p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20,
            let hour = digits(11, 2), p[13] == 0x3A, let minute = digits(14, 2), p[16] == 0x3A,
            let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < n && p[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < n, p[i] >= 0x30 && p[i] <= 0x39 { fraction += Double(p[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        if p[i] == 0x5A || p[i] == 0x7A {
            i += 1
        } else if p[i] == 0x2B || p[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < n, p[i + 3] == 0x3A, let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (p[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day) - 11_323  // 1970-01-01 → 2001-01-01
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second - offset) + fraction
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    /// The unsigned decimal number in `count` ASCII digits at `at`, all before `end`; nil otherwise.
    static func digits(_ p: UnsafeRawBufferPointer, at: Int, count: Int, end: Int) -> Int? {
        guard at + count <= end else { return nil }
        var v = 0
        for k in at..<(at + count) {
            let c = p[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// For a UTF-8 lead byte: the sequence's length and the range its second byte must fall in (RFC 3629: no
    /// overlongs, no surrogates, at most U+10FFFF); nil for a byte that cannot start a multi-byte sequence.
    static func utf8Lead(_ c: UInt8) -> (length: Int, lower: UInt8, upper: UInt8)? {
        switch c {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: nil
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the bytes are empty or only spaces and tabs.
    static func isBlank(_ p: UnsafeRawBufferPointer) -> Bool {
        p.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}

extension ByteText {
    /// Whether the text is a plain decimal (`-?digits(.digits)?`, with `e±digits` when allowed) of any length.
    static func isPlainNumber(_ p: UnsafeRawBufferPointer, allowExponent: Bool) -> Bool {
        var i = 0
        let n = p.count
        func isDigit(_ k: Int) -> Bool { k < n && p[k] >= 0x30 && p[k] <= 0x39 }
        if i < n && p[i] == 0x2D { i += 1 }
        guard isDigit(i) else { return false }
        while isDigit(i) { i += 1 }
        if i < n && p[i] == 0x2E {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        if allowExponent && i < n && (p[i] == 0x65 || p[i] == 0x45) {
            i += 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == n
    }
}
