import Foundation

/// RFC 3339 timestamps with the zone's UTC offset, formatted and parsed by hand so they are
/// fast and need no shared `DateFormatter`.
public enum RFC3339 {
    /// Formats an instant as local time in `zone` with its UTC offset, truncated to the second:
    /// "2026-03-29T01:00:00+00:00".
    ///
    /// The shape is Python's `datetime.isoformat()` for a whole-second zoned time, so lines
    /// compare equal to cronsim output converted to the same zone: always seconds, no
    /// fractional part, "+00:00" rather than "Z". An offset with seconds (local mean time
    /// before ~1900) is written "+hh:mm:ss" as Python does; RFC 3339 has no such form.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let instant = Int64(floor(date.timeIntervalSince1970))
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
        let wall = WallClock(seconds: instant + offset)
        let (year, month, day) = wall.date
        var text = year < 0 ? "-" + pad(-year, 4) : pad(year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(wall.hour, 2) + ":" + pad(wall.minute, 2) + ":" + pad(wall.second, 2)
        let magnitude = Int(abs(offset))
        text += (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 {
            text += ":" + pad(magnitude % 60, 2)
        }
        return text
    }

    /// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)"; also accepts `t`/`z`, a space for
    /// `T`, and "±hh:mm:ss" offsets (what `format` writes for local mean time). A leap second
    /// (:60) is read as the first second of the next minute. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"),
              let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2),
              scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
              let hour = scanner.number(2), scanner.skip(":"),
              let minute = scanner.number(2), scanner.skip(":"),
              let second = scanner.number(2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            var digits = 0
            while let digit = scanner.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else {
            let sign: Int
            if scanner.skip("+") {
                sign = 1
            } else if scanner.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = scanner.number(2), scanner.skip(":"), let minutes = scanner.number(2),
                  hours <= 23, minutes <= 59 else { return nil }
            var seconds = 0
            if scanner.skip(":") {
                guard let value = scanner.number(2), value <= 59 else { return nil }
                seconds = value
            }
            offset = sign * (hours * 3600 + minutes * 60 + seconds)
        }
        guard scanner.atEnd else { return nil }
        let days = CivilCalendar.dayNumber(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: Double(local - Int64(offset)) + fraction)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Reads fixed-width ASCII numbers and literal characters from UTF-8 bytes.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int? {
        guard position < bytes.count, (48...57).contains(bytes[position]) else { return nil }
        position += 1
        return Int(bytes[position - 1] - 48)
    }

    mutating func number(_ width: Int) -> Int? {
        var value = 0
        for _ in 0..<width {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
