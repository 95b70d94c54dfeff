import Anniversaries
import Foundation
import FundingSummary
import Gathering
import ReportKit
import ReportKitTestKit
import Testing

/// The programme's own facts in etc/data: they load without quarantine, every row keeps its
/// source, references resolve, and the shipped plugins say the right things about them.
@Suite("shipped programme data")
struct ShippedDataTests {
    static func gather() throws -> GatherResult {
        func source(_ name: String, _ file: String, _ format: SourceDefinition.Format) -> SourceDefinition {
            SourceDefinition(name: name, path: Paths.data.appendingPathComponent(file), format: format)
        }
        return try Gatherer.gather([
            source("organisations", "organisations.yaml", .records),
            source("suppliers", "suppliers.yaml", .records),
            source("milestones", "milestones.yaml", .records),
            source("awards-undated", "awards-undated.yaml", .records),
            source("msp-grants", "msp-grants.json", .threeSixtyGiving),
            source("statistics", "statistics.csv", .csv(CSVLayout(records: .statistics))),
        ])
    }

    let result: GatherResult
    var snapshot: Snapshot { result.snapshot }

    init() throws { result = try Self.gather() }

    @Test("every file loads with nothing quarantined")
    func loads() {
        #expect(result.quarantine.map(\.description) == [])
        #expect(snapshot.organisations.count == 30)
        #expect(snapshot.suppliers.count == 5)
        #expect(snapshot.milestones.count == 8)
        #expect(snapshot.awards.count == 6)
        #expect(snapshot.statistics.count == 16)
        #expect(Set(snapshot.awards.map(\.id)).count == 6)
        #expect(Set(snapshot.organisations.map(\.id)).count == snapshot.organisations.count)
    }

    @Test("every record keeps its source: url, publisher, title and confidence")
    func provenance() {
        var all: [(String, [Provenance])] = []
        all += snapshot.organisations.map { ($0.id, $0.provenance) }
        all += snapshot.suppliers.map { ($0.id, $0.provenance) }
        all += snapshot.milestones.map { ($0.id, $0.provenance) }
        all += snapshot.awards.map { ($0.id, $0.provenance) }
        all += snapshot.statistics.map { ("\($0.asOf) \($0.metric)", $0.provenance) }
        for (id, provenance) in all {
            #expect(!provenance.isEmpty, "\(id) has no source")
            for p in provenance {
                #expect(p.url?.scheme?.hasPrefix("http") == true, "\(id): source without a web address")
                #expect(p.publisher?.isEmpty == false, "\(id): source without a publisher")
                #expect(p.title?.isEmpty == false, "\(id): source without a title")
            }
        }
    }

    @Test("references between records resolve")
    func references() {
        for o in snapshot.organisations {
            if let parent = o.parentBodyId { #expect(snapshot.organisation(id: parent) != nil, "\(o.id) → \(parent)") }
        }
        for a in snapshot.awards {
            #expect(snapshot.organisation(id: a.recipientId) != nil, "\(a.id) → \(a.recipientId)")
            #expect(a.funderId == "GB-GOR-D2")
            for s in a.supplierIds { #expect(snapshot.supplier(id: s) != nil, "\(a.id) → \(s)") }
        }
        for m in snapshot.milestones {
            for s in m.subjectIds {
                let found = snapshot.organisation(id: s) != nil || snapshot.supplier(id: s) != nil || snapshot.award(id: s) != nil
                #expect(found, "\(m.id) → \(s)")
            }
        }
    }

    @Test("the facts of programme-data.md §3.2")
    func facts() throws {
        let spiral = try #require(snapshot.organisation(id: "360G-msp-spiral-health"))
        #expect(spiral.spinOutDate == LocalDate(year: 2012, month: 4, day: 1))
        #expect(spiral.ceasedDate == LocalDate(year: 2019, month: 1, day: 31))
        #expect(spiral.mutualStatus == .ceased)
        #expect(snapshot.organisation(id: "360G-msp-knowsley-youth-mutual")?.spinOutDate?.precision == .month)
        #expect(snapshot.organisation(id: "360G-msp-chcp")?.spinOutDate == LocalDate(year: 2010))
        #expect(snapshot.organisation(id: "GB-GOR-D2")?.roles == [.funder])
        let launch = try #require(snapshot.milestone(id: "M2"))
        #expect(launch.anchorsSeries && launch.title == "Mutuals Support Programme")
        #expect(launch.date == LocalDate(year: 2011, month: 12, day: 6))
        #expect(snapshot.milestones.filter(\.anchorsSeries).count == 1)
        let knowsley = try #require(snapshot.award(id: "360G-msp-MSP-2013-010"))
        #expect(knowsley.amount == Money(93000) && knowsley.amountIsApproximate)
        #expect(knowsley.supplierIds == ["360G-msp-public-service-mutuals"])
        #expect(knowsley.sector == "youth")
        #expect(snapshot.award(id: "360G-msp-MSP-2012-003")?.amount == Money(18927))
        #expect(snapshot.award(id: "360G-msp-MSP-2012-001")?.awardDate == LocalDate(year: 2012))
        #expect(snapshot.supplier(id: "360G-msp-social-purpose-business-partners")?.scale == .sme)
        let smes = snapshot.statistics.first { $0.metric == "sme_awards_count" }
        #expect(smes?.value == 14 && smes?.asOf == LocalDate(year: 2013, month: 2, day: 15))
    }

    @Test("anniversaries of the shipped data", arguments: [
        ("2013-12-02T09:00:00Z", ["Mutuals Support Programme: 2 years on"]),
        ("2012-12-03T09:00:00Z", ["Mutuals Support Programme: one year on"]),
        ("2013-04-01T08:00:00Z", ["Spiral Health CIC: 1 year since spinning out"]),
        ("2018-03-26T08:00:00Z", ["Spiral Health CIC: 6 years since spinning out"]),
        ("2019-04-01T08:00:00Z", []),
        ("2014-09-29T08:00:00Z", ["Central Surrey Health: 8 years since spinning out"]),
        ("2014-06-23T08:00:00Z", ["2 years since the Pipeline of Public Service Mutuals was published"]),
        ("2014-02-10T09:00:00Z", ["1 year since £1m of support for 21 live and developing mutuals was announced"]),
        ("2015-07-20T08:00:00Z", ["1 year since 100 public service mutuals were celebrated at a Downing Street reception"]),
        ("2014-03-03T09:00:00Z", []),  // the "2 years on" story's own date is only a month
    ])
    func anniversaries(_ time: String, _ expected: [String]) throws {
        let digest = try PluginHarness.run(Anniversaries.self, snapshot: snapshot, at: time)
        #expect(digest.texts == expected)
        #expect(digest.isEmpty == expected.isEmpty)
        for item in digest.sections.flatMap(\.items) { #expect(item.link != nil) }
    }

    @Test("the monthly summary for February 2013")
    func february2013() throws {
        let digest = try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: "2013-03-01T09:00:00Z")
        #expect(digest.title == "Funding in February 2013")
        #expect(digest.summary == "3 awards, around £159,000 of support")
        #expect(digest.items(in: "Top recipients").map(\.text) == [
            "Knowsley Youth Mutual: around £93,000",
            "Oldham adult social care staff co-operative (proposed): £46,000",
            "Gloucestershire County Council adult education staff group: £20,000",
        ])
        #expect(digest.items(in: "Compared with January").map(\.text) == ["3 awards, up 3 on January", "around £159,000 more than January"])
        #expect(digest.links.first?.url.absoluteString == "https://www.publicfinance.co.uk/news/2013/02/cabinet-office-gives-cash-21-public-service-co-ops")
    }

    @Test("the first awards count in 2012 and in all time, never in a month")
    func undatedAwards() throws {
        let year = try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: "2013-01-01T09:00:00Z",
                                         options: #"{"period":"year","breakdown":"sector"}"#)
        #expect(year.summary == "3 awards, 1 to SMEs, £84,779 of support")
        #expect(year.items(in: "Suppliers").map(\.text) == ["1 of 1 award with known suppliers went to SMEs (100%)"])
        #expect(year.items(in: "By sector").map(\.text) == [
            "Arts: 1 award, £18,927", "Education: 1 award, £55,852", "Youth: 1 award, £10,000",
        ])
        for month in 2...12 {
            let time = String(format: "2012-%02d-01T09:00:00Z", month)
            #expect(try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: time) == .empty)
        }
        let all = try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: "2015-04-01T08:00:00Z",
                                        options: #"{"period":"all","top":3}"#)
        #expect(all.summary == "6 awards, 1 to SMEs, around £243,779 of support")
        #expect(all.items(in: "By programme").map(\.text) == ["Mutuals Support Programme: 6 awards, around £243,779"])
    }
}
