import Foundation

/// Wording as UK government comms teams write it (GOV.UK style): numerals except for "one",
/// ordinals spelled out to "ninth", "N years on" for anniversaries.
public enum Phrasing {
    /// "one year on", "2 years on", "10 years on" — the GOV.UK headline form.
    public static func yearsOn(_ years: Int) -> String {
        years == 1 ? "one year on" : "\(years) years on"
    }

    /// "1 year", "2 years".
    public static func years(_ years: Int) -> String { count(years, "year") }

    /// "1 award", "21 awards"; pass `plural` for irregular nouns.
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }

    /// "first" … "ninth", then "10th", "21st", "112th": the form for "Nth anniversary".
    public static func ordinal(_ n: Int) -> String {
        let words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
        if (1...9).contains(n) { return words[n - 1] }
        let tens = n % 100
        let suffix: String
        if (11...13).contains(tens) {
            suffix = "th"
        } else {
            switch n % 10 {
            case 1: suffix = "st"
            case 2: suffix = "nd"
            case 3: suffix = "rd"
            default: suffix = "th"
            }
        }
        return "\(n)\(suffix)"
    }

    /// "a, b and c" — a list as prose.
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    /// A share as a whole percentage: "67%".
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        return "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }
}
