import Foundation

/// A calendar period a report covers, aligned to the job's zone.
///
/// In job options it is written `week`, `month`, `quarter`, `year`, `all`, or `last-N-days`
/// (e.g. `last-30-days`).
public enum ReportPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Monday to Sunday.
    case week
    /// A calendar month.
    case month
    /// A calendar quarter: January–March, April–June, July–September, October–December.
    case quarter
    /// A calendar year.
    case year
    /// Everything up to the end of the day before the logical time.
    case allTime
    /// The last `n` whole local days.
    case lastDays(Int)

    /// Parses the option form (`week`, `month`, `quarter`, `year`, `all`, `last-N-days`).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "week": self = .week
        case "month": self = .month
        case "quarter": self = .quarter
        case "year": self = .year
        case "all", "all-time", "all_time": self = .allTime
        default:
            let parts = text.lowercased().split(separator: "-")
            guard parts.count == 3, parts[0] == "last", parts[2] == "days" || parts[2] == "day",
                let n = Int(parts[1]), n > 0
            else { return nil }
            self = .lastDays(n)
        }
    }

    /// The option form, e.g. `month` or `last-30-days`.
    public var description: String {
        switch self {
        case .week: return "week"
        case .month: return "month"
        case .quarter: return "quarter"
        case .year: return "year"
        case .allTime: return "all"
        case .lastDays(let n): return "last-\(n)-days"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = ReportPeriod(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a period (week, month, quarter, year, all, last-N-days)")
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
