import Foundation

extension KeyedDecodingContainer {
    /// Decodes a decimal written as a JSON number or as a plain numeric string ("93000", "18927.50").
    ///
    /// Strings come from CSV and spreadsheets; anything with a currency sign, thousands separators
    /// or a suffix ("£1,000", "1.5m") is rejected rather than guessed at.
    func decodePlainDecimal(forKey key: Key) throws -> Decimal {
        if let text = try? decode(String.self, forKey: key) {
            guard let value = Decimal(plainNumber: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: self,
                    debugDescription: "'\(text)' is not a plain number (no currency signs, commas or suffixes)")
            }
            return value
        }
        return try decode(Decimal.self, forKey: key)
    }
}

extension Decimal {
    /// Parses `-?digits(.digits)?` exactly; nil for anything else.
    init?(plainNumber text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        var digits = 0, dots = 0
        for (i, ch) in t.enumerated() {
            if ch == "-" && i == 0 { continue }
            if ch == "." { dots += 1; continue }
            guard ch.isASCII, ch.isNumber else { return nil }
            digits += 1
        }
        guard digits > 0, dots <= 1, !t.hasSuffix("."), !t.hasPrefix("."),
            let value = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self = value
    }
}
