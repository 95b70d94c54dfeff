import Foundation
import ReportKit

/// One anniversary that falls in the window.
struct Anniversary: Hashable {
    /// What has the anniversary.
    enum Subject: Hashable {
        case organisation(Organisation)
        case milestone(Milestone)
    }

    /// The day it falls on in the window.
    let day: LocalDate
    /// Whole years since the original date (1 or more).
    let years: Int
    let subject: Subject

    /// The name items are ordered by after the date.
    var name: String {
        switch subject {
        case .organisation(let o): return o.name
        case .milestone(let m): return m.title
        }
    }

    /// The first source link, for the item.
    var link: URL? {
        switch subject {
        case .organisation(let o): return o.provenance.lazy.compactMap(\.url).first
        case .milestone(let m): return m.provenance.lazy.compactMap(\.url).first
        }
    }
}

/// Finds the anniversaries of spin-outs and milestones that fall in a window.
struct AnniversaryFinder {
    let window: DateWindow

    /// Every anniversary in the window, ordered by day, then name, then wording.
    func find(in snapshot: Snapshot) -> [Anniversary] {
        var found: [Anniversary] = []
        for organisation in snapshot.organisations where isListable(organisation) {
            guard let date = organisation.spinOutDate else { continue }
            for (day, years) in anniversaries(of: date) {
                found.append(Anniversary(day: day, years: years, subject: .organisation(organisation)))
            }
        }
        for milestone in snapshot.milestones where isListable(milestone, in: snapshot) {
            for (day, years) in anniversaries(of: milestone.date) {
                found.append(Anniversary(day: day, years: years, subject: .milestone(milestone)))
            }
        }
        return found.sorted { a, b in
            if a.day != b.day { return a.day < b.day }
            if a.name != b.name { return a.name < b.name }
            return AnniversaryWording.text(for: a) < AnniversaryWording.text(for: b)
        }
    }

    /// The anniversaries of `date` in the window with their year counts. Only day-precision dates
    /// have anniversaries: "2 years since spinning out in 2010" cannot be pinned to a week. A window
    /// longer than a year can hold more than one anniversary of the same date.
    func anniversaries(of date: LocalDate) -> [(LocalDate, Int)] {
        guard date.precision == .day else { return [] }
        var result: [(LocalDate, Int)] = []
        for year in max(window.firstDay.year, date.year + 1)...max(window.lastDay.year, date.year + 1) {
            let day = date.anniversary(in: year)
            if day >= window.firstDay && day <= window.lastDay { result.append((day, year - date.year)) }
        }
        return result
    }

    /// A ceased organisation is not congratulated: left out when it ceased on or before the window's
    /// last day (a ceased date known only to the month or year counts from its first day), or when
    /// its status is ceased and the date is unknown.
    func isListable(_ organisation: Organisation) -> Bool {
        guard !AnniversaryFinder.isIllustrative(organisation.provenance) else { return false }
        if let ceased = organisation.ceasedDate { return ceased.firstDay > window.lastDay }
        return organisation.mutualStatus != .ceased
    }

    /// Milestones that would say what another record already says, or that are anniversaries
    /// themselves, are left out.
    func isListable(_ milestone: Milestone, in snapshot: Snapshot) -> Bool {
        guard !AnniversaryFinder.isIllustrative(milestone.provenance) else { return false }
        switch milestone.kind {
        case .anniversaryPost:
            // "2 years since the '2 years on' story" is noise.
            return false
        case .spinOut:
            // The organisation's own spin-out date already produces the post; and a ceased
            // organisation gets no spin-out post by either route.
            return !milestone.subjectIds.contains { id in
                guard let organisation = snapshot.organisation(id: id) else { return false }
                return organisation.spinOutDate != nil || !isListable(organisation)
            }
        default:
            return true
        }
    }

    /// A record whose every source is marked illustrative was made up for an example: posting its
    /// anniversary would present it as fact.
    static func isIllustrative(_ provenance: [Provenance]) -> Bool {
        !provenance.isEmpty && provenance.allSatisfy { $0.confidence == .illustrative }
    }
}
