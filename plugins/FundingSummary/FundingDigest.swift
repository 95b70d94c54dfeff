import Foundation
import ReportKit

/// Writes a period's figures as a digest: headline amounts rounded ("£1.2m"), items exact ("£93,000").
struct FundingDigest {
    let current: FundingFigures
    let previous: FundingFigures?
    let options: FundingSummary.Options

    var digest: Digest {
        var sections = [totalsSection]
        sections += recipientSections
        sections.append(breakdownSection)
        if let supplierSection { sections.append(supplierSection) }
        if let changeSection { sections.append(changeSection) }
        let links = current.sources.prefix(5).map { Digest.Link(title: $0.label, url: $0.url!) }
        return Digest(title: "Funding \(FundingDigest.windowPhrase(current.window))", summary: summary,
                      sections: sections.filter { !$0.items.isEmpty }, hashtags: options.hashtags, links: Array(links))
    }

    /// "21 awards, 14 to SMEs, £1m of support".
    var summary: String {
        var parts = [Phrasing.count(current.count, "award")]
        if current.sme.known > 0 { parts.append(current.sme.toSMEs == 0 ? "none to SMEs" : "\(current.sme.toSMEs) to SMEs") }
        let amounts = current.totals.map { FundingDigest.amount($0.amount, $0.currency, $0.isApproximate, .compact) }
        parts.append("\(Phrasing.list(amounts)) of support")
        return parts.joined(separator: ", ")
    }

    private var totalsSection: Digest.Section {
        Digest.Section(title: "Totals", items: current.totals.map { t in
            let awards = current.amounts.filter { $0.currency == t.currency }.count
            return Digest.Item("\(FundingDigest.amount(t.amount, t.currency, t.isApproximate, .exact)) from \(Phrasing.count(awards, "award"))",
                               amount: Money(t.amount, currency: t.currency))
        })
    }

    /// One list per currency, since amounts in different currencies cannot be ranked together.
    private var recipientSections: [Digest.Section] {
        guard options.top > 0 else { return [] }
        let many = current.currencies.count > 1
        return current.currencies.map { currency in
            let items = current.recipients(in: currency, limit: options.top).map { r in
                let awards = r.count > 1 ? " from \(Phrasing.count(r.count, "award"))" : ""
                return Digest.Item("\(r.name): \(FundingDigest.amount(r.total, currency, r.isApproximate, .exact))\(awards)",
                                   amount: Money(r.total, currency: currency))
            }
            return Digest.Section(title: many ? "Top recipients (\(currency))" : "Top recipients", items: items)
        }
    }

    /// "Theatre: 30 awards, £1,234,000".
    private var breakdownSection: Digest.Section {
        let items = current.breakdown(by: options.breakdown).map { group in
            let amounts = group.totals.map { FundingDigest.amount($0.total, $0.currency, $0.isApproximate, .exact) }
            let single = group.totals.count == 1 ? group.totals.first.map { Money($0.total, currency: $0.currency) } : nil
            return Digest.Item("\(group.title): \(Phrasing.count(group.count, "award")), \(Phrasing.list(amounts))",
                               amount: single)
        }
        return Digest.Section(title: options.breakdown == .programme ? "By programme" : "By sector", items: items)
    }

    /// "14 of 21 awards with known suppliers went to SMEs".
    private var supplierSection: Digest.Section? {
        let sme = current.sme
        guard sme.known > 0 else { return nil }
        let known = sme.known == 1 ? "1 award with known suppliers" : "\(sme.known) awards with known suppliers"
        return Digest.Section(title: "Suppliers", items: [
            Digest.Item("\(sme.toSMEs) of \(known) went to SMEs (\(Phrasing.percent(sme.toSMEs, of: sme.known)))"),
        ])
    }

    /// "up 3 on January", "£12,000 more than January".
    private var changeSection: Digest.Section? {
        guard let previous else { return nil }
        let label = FundingDigest.previousLabel(previous.window, current: current.window)
        let diff = current.count - previous.count
        let countText: String
        switch diff {
        case 0: countText = "\(Phrasing.count(current.count, "award")), the same number as \(label)"
        case 1...: countText = "\(Phrasing.count(current.count, "award")), up \(diff) on \(label)"
        default: countText = "\(Phrasing.count(current.count, "award")), down \(-diff) on \(label)"
        }
        var items = [Digest.Item(countText)]
        for currency in Set(current.currencies + previous.currencies).sorted() {
            let change = current.total(in: currency) - previous.total(in: currency)
            // A difference involving an approximate total is itself approximate.
            let approximate = current.isApproximate(in: currency) || previous.isApproximate(in: currency)
            let text: String
            if change == 0 {
                let amount = FundingDigest.amount(current.total(in: currency), currency, approximate, .exact)
                text = "\(amount), the same amount as \(label)"
            } else {
                let magnitude = FundingDigest.amount(change < 0 ? -change : change, currency, approximate, .exact)
                text = "\(magnitude) \(change > 0 ? "more" : "less") than \(label)"
            }
            items.append(Digest.Item(text, amount: Money(change, currency: currency)))
        }
        return Digest.Section(title: "Compared with \(label)", items: items)
    }

    // MARK: - Wording helpers

    static func amount(_ value: Decimal, _ currency: String, _ approximate: Bool, _ style: Money.Style) -> String {
        (approximate ? "around " : "") + Money(value, currency: currency).formatted(style)
    }

    /// "in February 2014", "in the week of 3 to 9 March 2014", "to 28 February 2014".
    static func windowPhrase(_ window: DateWindow) -> String {
        switch window.period {
        case .week: return "in the week of \(window.label)"
        case .lastDays: return "from \(window.label)"
        case .allTime: return "to \(window.lastDay.spelledOut)"
        case .month, .quarter, .year: return "in \(window.label)"
        }
    }

    /// How the change line names the period before: "January" (with the year when it differs),
    /// "2013", "the previous week".
    static func previousLabel(_ window: DateWindow, current: DateWindow) -> String {
        switch window.period {
        case .month:
            let label = window.label
            return window.firstDay.year == current.firstDay.year ? String(label.split(separator: " ")[0]) : label
        case .year: return window.label
        case .week: return "the previous week"
        case .quarter: return "the previous quarter"
        case .lastDays(let n): return "the previous \(Phrasing.count(n, "day"))"
        case .allTime: return "all time"
        }
    }
}
