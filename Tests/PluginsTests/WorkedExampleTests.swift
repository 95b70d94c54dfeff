import Foundation
import ReportKit
import ReportKitTestKit
import Testing

// The worked example of plugins/README.md, compiled and run so the README stays true.

/// Posts how many awards were made in the last complete period, and their total.
struct AwardCount: ReportPlugin {
    struct Options: Decodable, Sendable {
        var period: ReportPeriod = .month

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            period = try c.decodeIfPresent(ReportPeriod.self, forKey: .period) ?? .month
        }

        private enum CodingKeys: String, CodingKey { case period }
    }

    static let name = "award-count"
    static let version = "1.0.0"
    static let summary = "How many awards were made in the last complete period."

    init() {}

    func report(_ context: ReportContext<Options>) throws -> Digest {
        let window = context.calendar.lastComplete(context.options.period, before: context.logicalTime)
        let awards = context.snapshot.awards.filter { window.contains($0.awardDate) && $0.amount.currency == "GBP" }
        guard !awards.isEmpty else { return .empty }
        let total = Money(awards.reduce(0) { $0 + $1.amount.amount })
        return Digest(
            title: "Awards in \(window.label)",
            summary: "\(Phrasing.count(awards.count, "award")), \(total.formatted(.compact)) of support",
            sections: [Digest.Section(title: "Largest", items: awards
                .sorted { $0.amount.amount > $1.amount.amount }.prefix(3)
                .map { Digest.Item("\($0.recipientName): \($0.amount)", amount: $0.amount, link: $0.provenance.first?.url) })],
            hashtags: ["mutuals"])
    }
}

@Suite struct WorkedExampleTests {
    let snapshot = Snapshot(awards: [
        Award(id: "a1", title: "Knowsley", amount: Money(93000), awardDate: LocalDate(year: 2013, month: 2, day: 15)!,
              recipientId: "k", recipientName: "Knowsley Youth Mutual"),
        Award(id: "a2", title: "Oldham", amount: Money(46000), awardDate: LocalDate(year: 2013, month: 2, day: 28)!,
              recipientId: "o", recipientName: "Oldham co-operative"),
        Award(id: "a3", title: "March", amount: Money(5000), awardDate: LocalDate(year: 2013, month: 3, day: 1)!,
              recipientId: "m", recipientName: "Too late"),
    ])

    @Test func reportsTheLastCompleteMonth() throws {
        let digest = try PluginHarness.run(AwardCount.self, snapshot: snapshot, at: "2013-03-01T09:00:00Z",
                                           options: #"{"period": "month"}"#)
        #expect(digest.title == "Awards in February 2013")
        #expect(digest.summary == "2 awards, £139,000 of support")
        #expect(digest.sections[0].items.map(\.text) == ["Knowsley Youth Mutual: £93,000", "Oldham co-operative: £46,000"])
    }

    @Test func anEmptyPeriodPostsNothing() throws {
        let digest = try PluginHarness.run(AwardCount.self, snapshot: snapshot, at: "2014-03-01T09:00:00Z")
        #expect(digest.isEmpty)
    }
}
