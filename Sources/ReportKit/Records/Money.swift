import Foundation

/// An amount of money in one currency. Amounts are `Decimal`, never binary floating point,
/// so totals of many awards add up to the penny.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The amount in major units (pounds, not pence).
    public var amount: Decimal
    /// The ISO 4217 currency code, e.g. `GBP`.
    public var currency: String

    /// Creates an amount in `currency` (default GBP).
    public init(_ amount: Decimal, currency: String = "GBP") {
        self.amount = amount
        self.currency = currency
    }

    private enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amount = try c.decodePlainDecimal(forKey: .amount)
        currency = try c.decode(String.self, forKey: .currency)
    }

    /// The amount as GOV.UK style writes it: "£93,000", "£1,234.50".
    public var description: String { formatted(.exact) }

    /// How to write an amount.
    public enum Style: Sendable, Hashable {
        /// Every digit, grouped by thousands, pence only when there are any: "£93,000", "£18,927.50".
        case exact
        /// Rounded for headlines: "£1.2m", "£10m", "£1.6bn"; amounts under a million are written exactly.
        case compact
    }

    /// The amount written in `style`, with the currency's symbol (£, €, $) or its code before it.
    public func formatted(_ style: Style) -> String {
        let negative = amount < 0
        let magnitude = negative ? -amount : amount
        let body: String
        switch style {
        case .exact:
            body = Money.group(magnitude)
        case .compact:
            // Choose the unit after rounding, so that £999,999.60 reads "£1m" and £999.95m "£1bn",
            // never "£1,000,000" or "£1,000m".
            if Money.rounded(magnitude / 1_000_000, scale: 1) >= 1_000 {
                body = Money.oneDecimal(magnitude / 1_000_000_000) + "bn"
            } else if Money.rounded(magnitude, scale: 0) >= 1_000_000 {
                body = Money.oneDecimal(magnitude / 1_000_000) + "m"
            } else {
                body = Money.group(Money.rounded(magnitude, scale: 0))
            }
        }
        let sign = negative ? "-" : ""
        switch currency {
        case "GBP": return sign + "£" + body
        case "EUR": return sign + "€" + body
        case "USD": return sign + "$" + body
        default: return sign + currency + " " + body
        }
    }

    static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// "1.2", "10" (a trailing ".0" is dropped, as headlines do).
    static func oneDecimal(_ value: Decimal) -> String {
        let parts = plain(rounded(value, scale: 1)).split(separator: ".", maxSplits: 1)
        return groupThousands(String(parts[0])) + (parts.count == 2 ? "." + parts[1] : "")
    }

    static func plain(_ value: Decimal) -> String {
        var v = value
        return NSDecimalString(&v, Locale(identifier: "en_US_POSIX"))
    }

    /// Groups the whole part in thousands and keeps two decimals only when there are pence.
    static func group(_ value: Decimal) -> String {
        let parts = plain(rounded(value, scale: 2)).split(separator: ".", maxSplits: 1)
        let grouped = groupThousands(String(parts[0]))
        guard parts.count == 2 else { return grouped }
        return grouped + "." + parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)
    }

    static func groupThousands(_ digits: String) -> String {
        var grouped = ""
        for (i, ch) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return String(grouped.reversed())
    }
}
