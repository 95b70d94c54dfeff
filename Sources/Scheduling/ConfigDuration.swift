import Foundation

/// A duration as written in config: whole numbers with units, largest first, e.g. "90s",
/// "15m", "24h", "7d", "2w", "1h30m", "250ms". Units: w (7 days), d (24 hours), h, m, s, ms.
///
/// Units must not repeat or go from small to large ("30m1h"), so a typo can't quietly
/// change the meaning; a bare number is rejected because "90" could mean seconds or minutes.
public struct ConfigDuration: Sendable, Hashable {
    /// The length in seconds.
    public var seconds: TimeInterval

    private static let units: [(symbol: UInt8, seconds: Double)] = [
        (UInt8(ascii: "w"), 604_800), (UInt8(ascii: "d"), 86_400), (UInt8(ascii: "h"), 3600),
        (UInt8(ascii: "m"), 60), (UInt8(ascii: "s"), 1),
    ]

    /// Parses a duration; throws `ConfigDurationError` saying what is wrong.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(trimmed.utf8)
        guard !bytes.isEmpty else {
            throw ConfigDurationError(text: text, reason: "is empty; write e.g. 90s, 15m, 24h, 7d or 1h30m")
        }
        var total = 0.0
        var position = 0
        var nextUnit = 0
        while position < bytes.count {
            var digits = 0
            var value = 0.0
            while position < bytes.count, (48...57).contains(bytes[position]) {
                value = value * 10 + Double(bytes[position] - 48)
                position += 1
                digits += 1
            }
            guard digits > 0 else {
                throw ConfigDurationError(text: text, reason: "needs a whole number before each unit, e.g. 1h30m")
            }
            guard position < bytes.count else {
                throw ConfigDurationError(text: text, reason: "needs a unit after \(Int(value)): s, m, h, d or w")
            }
            let symbol = bytes[position] | 0x20
            let isMillis = symbol == UInt8(ascii: "m") && position + 1 < bytes.count && bytes[position + 1] | 0x20 == UInt8(ascii: "s")
            guard let index = isMillis ? Self.units.count : Self.units.firstIndex(where: { $0.symbol == symbol }) else {
                throw ConfigDurationError(text: text, reason: "has an unknown unit; use ms, s, m, h, d or w")
            }
            if isMillis { position += 1 }
            guard index >= nextUnit else {
                throw ConfigDurationError(text: text, reason: "repeats a unit or puts a smaller unit first; write e.g. 1h30m")
            }
            total += value * (isMillis ? 0.001 : Self.units[index].seconds)
            nextUnit = index + 1
            position += 1
        }
        seconds = total
    }
}

/// Why a config duration was rejected.
public struct ConfigDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as written.
    public var text: String
    /// What is wrong, phrased to follow the quoted text.
    public var reason: String

    /// E.g. "'90' needs a unit after 90: s, m, h, d or w".
    public var description: String { "'\(text)' \(reason)" }
}
