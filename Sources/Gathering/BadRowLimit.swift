import Foundation

/// A source's `max_bad_rows:`: how many quarantined records it may have before the data is judged
/// too broken to report on. A count (`10`) or a percentage of the records read (`"5%"`).
public enum BadRowLimit: Sendable, Hashable, CustomStringConvertible {
    /// At most this many.
    case count(Int)
    /// At most this percentage (0–100) of the records read.
    case percent(Decimal)

    /// Parses `10` or `5%` / `2.5%`; nil for anything else.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") {
            let number = t.dropLast().trimmingCharacters(in: .whitespaces)
            guard let value = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")),
                number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), value >= 0, value <= 100
            else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(t), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// Whether `bad` of `read` records exceeds the limit.
    public func isExceeded(bad: Int, of read: Int) -> Bool {
        switch self {
        case .count(let n): return bad > n
        case .percent(let p): return Decimal(bad) * 100 > p * Decimal(read)
        }
    }

    /// "10" or "5%".
    public var description: String {
        switch self {
        case .count(let n): return "\(n)"
        case .percent(let p): return "\(p)%"
        }
    }
}
