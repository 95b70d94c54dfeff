import Foundation
import ReportKit

/// How an anniversary is written, following GOV.UK style ("one year on", numerals from 2).
enum AnniversaryWording {
    /// The item's line:
    /// - a series-anchoring milestone: "Mutuals Support Programme: 2 years on" ("one year on" for 1);
    /// - an organisation: "Spiral Health CIC: 1 year since spinning out";
    /// - any other milestone, whose title is written to follow "since":
    ///   "2 years since the first Mutuals Support Programme awards".
    static func text(for anniversary: Anniversary) -> String {
        switch anniversary.subject {
        case .milestone(let m) where m.anchorsSeries:
            return "\(m.title): \(Phrasing.yearsOn(anniversary.years))"
        case .milestone(let m):
            return "\(Phrasing.years(anniversary.years)) since \(followingSince(m.title))"
        case .organisation(let o):
            return "\(o.name): \(Phrasing.years(anniversary.years)) since spinning out"
        }
    }

    /// A title that starts with "The" reads mid-sentence with "the": "since the first … awards".
    static func followingSince(_ title: String) -> String {
        title.hasPrefix("The ") ? "the" + title.dropFirst(3) : title
    }

    /// "Monday 3 March 2014": the heading of a day's anniversaries.
    static func dayHeading(_ day: LocalDate) -> String {
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return "\(names[day.isoWeekday - 1]) \(day.spelledOut)"
    }

    /// "Anniversaries this week", "… this month", "… in the last 30 days".
    static func title(for period: ReportPeriod) -> String {
        switch period {
        case .week: return "Anniversaries this week"
        case .month: return "Anniversaries this month"
        case .quarter: return "Anniversaries this quarter"
        case .year: return "Anniversaries this year"
        case .lastDays(let n): return "Anniversaries in the last \(Phrasing.count(n, "day"))"
        case .allTime: return "Anniversaries to date"
        }
    }

    /// "in the week of 3 to 9 March 2014", "in March 2014", "to date".
    static func windowPhrase(_ window: DateWindow) -> String {
        switch window.period {
        case .week: return "in the week of \(window.label)"
        case .lastDays: return "from \(window.label)"
        case .allTime: return "to \(window.lastDay.spelledOut)"
        case .month, .quarter, .year: return "in \(window.label)"
        }
    }
}

/// The digest for a window's anniversaries: one section per day, items in order.
struct AnniversaryDigest {
    let window: DateWindow
    let anniversaries: [Anniversary]
    let hashtags: [String]

    var digest: Digest {
        var sections: [Digest.Section] = []
        for anniversary in anniversaries {
            let item = Digest.Item(AnniversaryWording.text(for: anniversary), link: anniversary.link)
            let heading = AnniversaryWording.dayHeading(anniversary.day)
            if sections.last?.title == heading {
                sections[sections.count - 1].items.append(item)
            } else {
                sections.append(Digest.Section(title: heading, items: [item]))
            }
        }
        var names: [String] = []
        for a in anniversaries where !names.contains(a.name) { names.append(a.name) }
        let count = Phrasing.count(anniversaries.count, "anniversary", "anniversaries")
        let summary = "\(count) \(AnniversaryWording.windowPhrase(window)): \(Phrasing.list(names))"
        return Digest(title: AnniversaryWording.title(for: window.period), summary: summary, sections: sections,
                      hashtags: hashtags, links: sourceLinks)
    }

    /// Each distinct source once, in item order, so that renderers that drop item links still cite.
    private var sourceLinks: [Digest.Link] {
        var seen: Set<URL> = []
        var links: [Digest.Link] = []
        for a in anniversaries {
            guard let url = a.link, seen.insert(url).inserted else { continue }
            links.append(Digest.Link(title: sourceTitle(a, url: url), url: url))
        }
        return links
    }

    private func sourceTitle(_ a: Anniversary, url: URL) -> String {
        let provenance: [Provenance]
        switch a.subject {
        case .organisation(let o): provenance = o.provenance
        case .milestone(let m): provenance = m.provenance
        }
        return provenance.first { $0.url == url }?.label ?? url.host ?? url.absoluteString
    }
}
