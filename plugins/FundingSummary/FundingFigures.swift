import Foundation
import ReportKit

/// The figures for the awards of one window, before any wording.
struct FundingFigures {
    /// A recipient's (or a breakdown group's) awards in one currency.
    struct Group {
        /// What awards are grouped by: `id:<recipient id>`, `name:<recipient name>`, or a group title.
        let key: String
        /// The name shown.
        var name: String
        let currency: String
        var total: Decimal
        var count: Int
        var isApproximate: Bool
    }

    let window: DateWindow
    /// The awards counted, in snapshot order.
    let awards: [Award]
    /// Each counted award's amount, read once: an award read from the snapshot file makes its `Money`
    /// on each access, and the totals, recipients and breakdown each need every one.
    let amounts: [Money]
    /// Total per currency, with whether any part of it was approximate; ordered by currency code.
    let totals: [(currency: String, amount: Decimal, isApproximate: Bool)]
    /// Awards whose suppliers' sizes are known, and how many of those went to an SME.
    let sme: (known: Int, toSMEs: Int)

    private let snapshot: Snapshot

    var count: Int { awards.count }
    var currencies: [String] { totals.map(\.currency) }

    /// The awards of each window, in snapshot order, from one pass over the snapshot (a pass over a
    /// million awards costs more than everything done afterwards with the few thousand kept).
    static func awards(in windows: [DateWindow], options: FundingSummary.Options, snapshot: Snapshot) -> [[Award]] {
        var kept = [[Award]](repeating: [], count: windows.count)
        for award in snapshot.awards {
            // DateWindow.contains(LocalDate) needs the date's whole span inside the window, so an award
            // known only as "2012" counts in 2012 and in all-time, never in a month of 2012.
            let date = award.awardDate
            for (k, window) in windows.enumerated() where window.contains(date) {
                if let currency = options.currency, award.amount.currency.uppercased() != currency { continue }
                kept[k].append(award)
            }
        }
        return kept
    }

    /// The figures of `awards`, the awards of `window` (``awards(in:options:snapshot:)``).
    init(window: DateWindow, awards: [Award], snapshot: Snapshot) {
        self.window = window
        self.snapshot = snapshot
        self.awards = awards
        let amounts = awards.map(\.amount)
        self.amounts = amounts
        var sums: [String: (Decimal, Bool)] = [:]
        for (award, amount) in zip(awards, amounts) {
            let old = sums[amount.currency] ?? (0, false)
            sums[amount.currency] = (old.0 + amount.amount, old.1 || award.amountIsApproximate)
        }
        totals = sums.keys.sorted().map { (currency: $0, amount: sums[$0]!.0, isApproximate: sums[$0]!.1) }
        var known = 0, toSMEs = 0
        for award in awards {
            switch FundingFigures.wentToSME(award, in: snapshot) {
            case true?: known += 1; toSMEs += 1
            case false?: known += 1
            case nil: break
            }
        }
        sme = (known, toSMEs)
    }

    func total(in currency: String) -> Decimal {
        totals.first { $0.currency == currency }?.amount ?? 0
    }

    func isApproximate(in currency: String) -> Bool {
        totals.first { $0.currency == currency }?.isApproximate ?? false
    }

    /// The first `limit` recipients in `currency`, largest total first; ties by name, then by key so
    /// that two different organisations with one name keep a stable order.
    ///
    /// The order is total (keys are unique), so keeping the best `limit` while going through the
    /// groups gives exactly the head of the fully sorted list, without sorting tens of thousands of
    /// recipients to show five.
    func recipients(in currency: String, limit: Int) -> [Group] {
        guard limit > 0 else { return [] }
        // Each recipient's group and its latest award, under one key lookup per award.
        var groups: [String: (group: Group, latest: Award)] = [:]
        for (award, amount) in zip(awards, amounts) where amount.currency == currency {
            let key = FundingFigures.recipientKey(award)
            if let i = groups.index(forKey: key) {
                groups.values[i].group.add(amount.amount, approximate: award.amountIsApproximate)
                if FundingFigures.isLater(award, than: groups.values[i].latest) { groups.values[i].latest = award }
            } else {
                var group = Group(key: key, name: "", currency: currency, total: 0, count: 0, isApproximate: false)
                group.add(amount.amount, approximate: award.amountIsApproximate)
                groups[key] = (group, award)
            }
        }
        func precedes(_ a: Group, _ b: Group) -> Bool {
            if a.total != b.total { return a.total > b.total }
            if a.name != b.name { return a.name < b.name }
            return a.key < b.key
        }
        var best: [Group] = []
        for (group, latest) in groups.values {
            // A smaller total than the last of a full list cannot get in, whatever its name: the name
            // (an organisation lookup and a string) is only worked out for the others.
            if best.count == limit, group.total < best[best.count - 1].total { continue }
            var named = group
            named.name = recipientName(key: group.key, latest: latest)
            guard best.count < limit || precedes(named, best[best.count - 1]) else { continue }
            let at = best.firstIndex { precedes(named, $0) } ?? best.count
            best.insert(named, at: at)
            if best.count > limit { best.removeLast() }
        }
        return best
    }

    /// Groups for the breakdown, most awards first, ties by name. A group's total is per currency,
    /// so one title can appear once per currency.
    func breakdown(by dimension: FundingSummary.Options.Breakdown) -> [(title: String, count: Int, totals: [Group])] {
        var byTitle: [String: [String: Group]] = [:]
        for (award, amount) in zip(awards, amounts) {
            let title = dimension == .programme ? programmeTitle(award) : sectorTitle(award)
            let currency = amount.currency
            byTitle[title, default: [:]][currency, default: Group(key: title, name: title, currency: currency,
                                                                   total: 0, count: 0, isApproximate: false)]
                .add(amount.amount, approximate: award.amountIsApproximate)
        }
        return byTitle.map { title, perCurrency in
            let totals = perCurrency.keys.sorted().map { perCurrency[$0]! }
            return (title: title, count: totals.reduce(0) { $0 + $1.count }, totals: totals)
        }.sorted { a, b in a.count != b.count ? a.count > b.count : a.title < b.title }
    }

    /// Distinct first sources of the counted awards, in order.
    var sources: [Provenance] {
        var seen: Set<URL> = []
        return awards.compactMap { award in
            guard let p = award.provenance.first(where: { $0.url != nil }), seen.insert(p.url!).inserted else { return nil }
            return p
        }
    }

    // MARK: - Rules

    /// Recipients are the same when their identifiers are; only an award with no recipient
    /// identifier falls back to its recipient's name.
    static func recipientKey(_ award: Award) -> String {
        let id = trimmedOfWhitespace(award.recipientId)
        return id.isEmpty ? "name:" + award.recipientName : "id:" + id
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation's bridging when neither end is
    /// whitespace, which is nearly always (it ran once per award and was a fifth of the plugin's time).
    static func trimmedOfWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        let whitespace = CharacterSet.whitespaces
        guard whitespace.contains(first) || whitespace.contains(last) else { return text }
        return text.trimmingCharacters(in: whitespace)
    }

    /// The name a recipient is shown by: its organisation record's, else the name on its latest award
    /// (organisations get renamed; the newest name is the one readers know).
    private func recipientName(key: String, latest: Award) -> String {
        if key.hasPrefix("id:"), let organisation = snapshot.organisation(id: String(key.dropFirst(3))) {
            return organisation.name
        }
        return latest.recipientName
    }

    /// Later by award date; on the same date, the alphabetically smaller name wins, so the choice
    /// does not depend on file order.
    private static func isLater(_ a: Award, than b: Award) -> Bool {
        if a.awardDate != b.awardDate { return b.awardDate < a.awardDate }
        return a.recipientName < b.recipientName
    }

    private func programmeTitle(_ award: Award) -> String {
        guard let programme = award.programme else { return "No programme" }
        let title = FundingFigures.trimmedOfWhitespace(programme.title)
        return title.isEmpty ? (programme.code ?? "No programme") : title
    }

    private func sectorTitle(_ award: Award) -> String {
        let code = award.sector ?? snapshot.organisation(id: award.recipientId)?.sectors.first
        guard let code, !code.isEmpty else { return "Sector not recorded" }
        // Vocabulary codes such as `social_care` read as "Social care"; titles pass through.
        guard code == code.lowercased() else { return code }
        let words = code.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// Whether an award's support went to an SME: true when any of its suppliers is an SME or micro
    /// business, false when every supplier is known to be large, nil when there are no suppliers or
    /// their sizes are not all known.
    static func wentToSME(_ award: Award, in snapshot: Snapshot) -> Bool? {
        guard !award.supplierIds.isEmpty else { return nil }
        let scales = award.supplierIds.map { snapshot.supplier(id: $0)?.scale.isSME }
        if scales.contains(true) { return true }
        return scales.allSatisfy { $0 == false } ? false : nil
    }
}

extension FundingFigures.Group {
    mutating func add(_ amount: Decimal, approximate: Bool) {
        total += amount
        count += 1
        isApproximate = isApproximate || approximate
    }
}
