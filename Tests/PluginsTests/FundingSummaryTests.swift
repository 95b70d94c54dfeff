import Foundation
import FundingSummary
import ReportKit
import ReportKitTestKit
import Testing

@Suite("funding-summary plugin")
struct FundingSummaryTests {
    func run(_ snapshot: Snapshot, at time: String, options: String = "{}", zone: String = "Europe/London") throws -> Digest {
        try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: time, timeZone: zone, options: options)
    }

    /// February 2013 as the programme announced it, plus a January award and an undated 2012 one.
    var programme: Snapshot {
        Snapshot(
            awards: [
                Build.award("A1", "55852", on: "2012", to: "3bm", "3BM", sector: "education", suppliers: ["ffw"]),
                Build.award("J1", "10000", on: "2013-01-20", to: "blackpool", "Blackpool youth", sector: "youth"),
                Build.award("A4", "93000", on: "2013-02-15", to: "kym", "Knowsley Youth Services", sector: "youth",
                            suppliers: ["psm"], approximate: true),
                Build.award("A5", "46000", on: "2013-02-15", to: "oldham", "Oldham adult social care",
                            sector: "social_care", suppliers: ["spbp"]),
                Build.award("A6", "20000", on: "2013-02-15", to: "glos", "Gloucestershire adult education",
                            sector: "adult_education", suppliers: ["big"]),
            ],
            suppliers: [
                Supplier(id: "ffw", name: "Field Fisher Waterhouse LLP", scale: .unknown),
                Supplier(id: "psm", name: "Public Service Mutuals", scale: .unknown),
                Supplier(id: "spbp", name: "Social Purpose Business Partners", scale: .sme),
                Supplier(id: "big", name: "Big Firm", scale: .large),
            ])
    }

    @Test("a run at 09:00 on 1 March reports February")
    func february() throws {
        let digest = try run(programme, at: "2013-03-01T09:00:00Z")
        #expect(digest.title == "Funding in February 2013")
        #expect(digest.summary == "3 awards, 1 to SMEs, around £159,000 of support")
        #expect(digest.items(in: "Totals").map(\.text) == ["around £159,000 from 3 awards"])
        #expect(digest.items(in: "Totals").first?.amount == Money(159000))
        #expect(digest.items(in: "Top recipients").map(\.text) == [
            "Knowsley Youth Services: around £93,000",
            "Oldham adult social care: £46,000",
            "Gloucestershire adult education: £20,000",
        ])
        #expect(digest.items(in: "By programme").map(\.text) == ["Mutuals Support Programme: 3 awards, around £159,000"])
        #expect(digest.items(in: "Suppliers").map(\.text) == ["1 of 2 awards with known suppliers went to SMEs (50%)"])
        #expect(digest.items(in: "Compared with January").map(\.text) == ["3 awards, up 2 on January", "around £149,000 more than January"])
        #expect(digest.items(in: "Compared with January").last?.amount == Money(149000))
        #expect(digest.links.map(\.url.absoluteString) == ["https://example.org/A4", "https://example.org/A5", "https://example.org/A6"])
    }

    @Test("the change against the previous period: down, and the same")
    func change() throws {
        let digest = try run(programme, at: "2013-02-01T09:00:00Z")
        #expect(digest.title == "Funding in January 2013")
        #expect(digest.items(in: "Compared with December 2012").map(\.text) == ["1 award, up 1 on December 2012", "£10,000 more than December 2012"])
        let down = Snapshot(awards: [
            Build.award("a", "5000", on: "2014-01-10", to: "x", "X"),
            Build.award("b", "7000", on: "2014-01-11", to: "y", "Y"),
            Build.award("c", "12000", on: "2014-02-10", to: "z", "Z"),
        ])
        #expect(try run(down, at: "2014-03-01T09:00:00Z").items(in: "Compared with January").map(\.text)
            == ["1 award, down 1 on January", "£12,000, the same amount as January"])
        let less = Snapshot(awards: [
            Build.award("a", "15000", on: "2014-01-10", to: "x", "X"),
            Build.award("c", "3000", on: "2014-02-10", to: "z", "Z"),
        ])
        let lessDigest = try run(less, at: "2014-03-01T09:00:00Z")
        #expect(lessDigest.items(in: "Compared with January").map(\.text) == ["1 award, the same number as January", "£12,000 less than January"])
        #expect(lessDigest.items(in: "Compared with January").last?.amount == Money(-12000))
    }

    @Test("awards known only to the year or month count only in windows holding their whole span")
    func precision() throws {
        // 2012 as a year and as all time include the undated A1…
        let year = try run(programme, at: "2013-01-01T09:00:00Z", options: #"{"period":"year"}"#)
        #expect(year.summary == "1 award, £55,852 of support")
        let all = try run(programme, at: "2013-03-01T09:00:00Z", options: #"{"period":"all"}"#)
        #expect(all.title == "Funding to 28 February 2013")
        #expect(all.summary == "5 awards, 1 to SMEs, around £224,852 of support")
        #expect(all.sections.allSatisfy { !$0.title.hasPrefix("Compared") })
        // …but no quarter or month of 2012 does.
        #expect(try run(programme, at: "2013-01-01T09:00:00Z", options: #"{"period":"quarter"}"#) == .empty)
        #expect(try run(programme, at: "2012-07-01T09:00:00Z", options: #"{"period":"month"}"#) == .empty)
        // A month-precision award counts in its month, not in a week of it.
        let monthly = Snapshot(awards: [Build.award("m", "1000", on: "2014-02", to: "x", "X")])
        #expect(try run(monthly, at: "2014-03-01T09:00:00Z").summary == "1 award, £1,000 of support")
        #expect(try run(monthly, at: "2014-02-10T09:00:00Z", options: #"{"period":"week"}"#) == .empty)
        #expect(try run(monthly, at: "2014-04-01T08:00:00Z", options: #"{"period":"quarter"}"#).title == "Funding in January to March 2014")
    }

    @Test("the period is the last complete one in the job's zone")
    func zone() throws {
        let snapshot = Snapshot(awards: [
            Build.award("jan", "1000", on: "2014-01-31", to: "x", "X"),
            Build.award("feb", "2000", on: "2014-02-28", to: "y", "Y"),
        ])
        // 00:30 UTC on 1 March is 1 March in London (February)…
        #expect(try run(snapshot, at: "2014-03-01T00:30:00Z").title == "Funding in February 2014")
        // …but still 28 February in New York (January).
        #expect(try run(snapshot, at: "2014-03-01T00:30:00Z", zone: "America/New_York").title == "Funding in January 2014")
        // Weeks: a Monday run reports the previous Monday to Sunday.
        let week = try run(snapshot, at: "2014-03-03T09:00:00Z", options: #"{"period":"week"}"#)
        #expect(week.title == "Funding in the week of 24 February to 2 March 2014")
        #expect(week.items(in: "Compared with the previous week").map(\.text) == ["1 award, up 1 on the previous week", "£2,000 more than the previous week"])
        let days = try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"period":"last-30-days"}"#)
        #expect(days.title == "Funding from 30 January to 28 February 2014")
        #expect(days.summary == "2 awards, £3,000 of support")
    }

    @Test("top recipients: amounts summed per recipient, ties ordered by name, top N")
    func topRecipients() throws {
        let snapshot = Snapshot(awards: [
            Build.award("1", "10000", on: "2014-02-01", to: "id-c", "Charlie"),
            Build.award("2", "5000", on: "2014-02-02", to: "id-c", "Charlie"),
            Build.award("3", "15000", on: "2014-02-03", to: "id-b", "Bravo"),
            Build.award("4", "15000", on: "2014-02-04", to: "id-a", "Alpha"),
            Build.award("5", "20000", on: "2014-02-05", to: "id-d", "Delta"),
            Build.award("6", "1000", on: "2014-02-06", to: "id-e", "Echo"),
        ])
        let digest = try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"top":4}"#)
        #expect(digest.items(in: "Top recipients").map(\.text) == [
            "Delta: £20,000",
            "Alpha: £15,000",
            "Bravo: £15,000",
            "Charlie: £15,000 from 2 awards",
        ])
        #expect(try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"top":0}"#).items(in: "Top recipients").isEmpty)
        #expect(try run(snapshot, at: "2014-03-01T09:00:00Z").items(in: "Top recipients").count == 5)
    }

    @Test("recipients are grouped by identifier, else by name")
    func grouping() throws {
        let snapshot = Snapshot(
            organisations: [Organisation(id: "GB-CHC-1", name: "Registered Name Trust")],
            awards: [
                // One id, two spellings: one recipient, named by its organisation record.
                Build.award("1", "1000", on: "2014-02-01", to: "GB-CHC-1", "Old Name"),
                Build.award("2", "2000", on: "2014-02-20", to: "GB-CHC-1", "New Name"),
                // One id with no record: named as on its latest award.
                Build.award("3", "500", on: "2014-02-01", to: "GB-CHC-2", "Music in Secondary Schools"),
                Build.award("4", "500", on: "2014-02-25", to: "GB-CHC-2", "Music in Secondary Schools Trust"),
                // No ids: grouped by name.
                Build.award("5", "700", on: "2014-02-02", to: "", "Unregistered Group"),
                Build.award("6", "800", on: "2014-02-03", to: " ", "Unregistered Group"),
                // One name, two ids: two recipients.
                Build.award("7", "600", on: "2014-02-04", to: "GB-EDU-1", "Royal Conservatoire"),
                Build.award("8", "600", on: "2014-02-05", to: "360G-X-ORG:Royal_Conservatoire", "Royal Conservatoire"),
            ])
        let digest = try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"top":10}"#)
        #expect(digest.items(in: "Top recipients").map(\.text) == [
            "Registered Name Trust: £3,000 from 2 awards",
            "Unregistered Group: £1,500 from 2 awards",
            "Music in Secondary Schools Trust: £1,000 from 2 awards",
            "Royal Conservatoire: £600",
            "Royal Conservatoire: £600",
        ])
    }

    @Test("totals and recipients per currency, and the currency filter")
    func currencies() throws {
        let snapshot = Snapshot(awards: [
            Build.award("1", "1000000", on: "2014-02-01", to: "a", "Alpha"),
            Build.award("2", "250000", on: "2014-02-02", to: "b", "Bravo"),
            Build.award("3", "5000", on: "2014-02-03", to: "c", "Charlie", currency: "EUR"),
            Build.award("4", "7000", on: "2014-01-03", to: "c", "Charlie", currency: "EUR"),
        ])
        let digest = try run(snapshot, at: "2014-03-01T09:00:00Z")
        #expect(digest.summary == "3 awards, €5,000 and £1.3m of support")
        #expect(digest.items(in: "Totals").map(\.text) == ["€5,000 from 1 award", "£1,250,000 from 2 awards"])
        #expect(digest.items(in: "Totals").map(\.amount) == [Money(5000, currency: "EUR"), Money(1250000)])
        #expect(digest.items(in: "Top recipients (EUR)").map(\.text) == ["Charlie: €5,000"])
        #expect(digest.items(in: "Top recipients (GBP)").map(\.text) == ["Alpha: £1,000,000", "Bravo: £250,000"])
        #expect(digest.items(in: "By programme").map(\.text) == ["Mutuals Support Programme: 3 awards, €5,000 and £1,250,000"])
        #expect(digest.items(in: "Compared with January").map(\.text)
            == ["3 awards, up 2 on January", "€2,000 less than January", "£1,250,000 more than January"])
        let gbp = try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"currency":"gbp"}"#)
        #expect(gbp.summary == "2 awards, £1.3m of support")
        #expect(gbp.items(in: "Top recipients").count == 2)
        #expect(try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"currency":"USD"}"#) == .empty)
    }

    @Test("breakdown by programme or by sector, most awards first, ties by name")
    func breakdown() throws {
        let snapshot = Snapshot(
            organisations: [Organisation(id: "org-h", name: "Health Org", sectors: ["health"])],
            awards: [
                Build.award("1", "100", on: "2014-02-01", to: "a", "A", programme: "Theatre", sector: "culture"),
                Build.award("2", "200", on: "2014-02-02", to: "b", "B", programme: "Music", sector: "social_care"),
                Build.award("3", "300", on: "2014-02-03", to: "c", "C", programme: "Music", sector: "social_care"),
                Build.award("4", "400", on: "2014-02-04", to: "d", "D", programme: "Dance", sector: nil),
                Build.award("5", "500", on: "2014-02-05", to: "org-h", "H", programme: nil, sector: nil),
            ])
        let programme = try run(snapshot, at: "2014-03-01T09:00:00Z")
        #expect(programme.items(in: "By programme").map(\.text) == [
            "Music: 2 awards, £500", "Dance: 1 award, £400", "No programme: 1 award, £500", "Theatre: 1 award, £100",
        ])
        #expect(programme.items(in: "By programme").first?.amount == Money(500))
        let sector = try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"breakdown":"sector"}"#)
        #expect(sector.items(in: "By sector").map(\.text) == [
            "Social care: 2 awards, £500", "Culture: 1 award, £100", "Health: 1 award, £500", "Sector not recorded: 1 award, £400",
        ])
        #expect(throws: DecodingError.self) { try run(snapshot, at: "2014-03-01T09:00:00Z", options: #"{"breakdown":"region"}"#) }
    }

    @Test("SME share counts only awards whose suppliers' sizes are known")
    func smeShare() throws {
        let snapshot = Snapshot(
            awards: [
                Build.award("1", "100", on: "2014-02-01", to: "a", "A", suppliers: ["sme"]),
                Build.award("2", "100", on: "2014-02-02", to: "b", "B", suppliers: ["micro"]),
                Build.award("3", "100", on: "2014-02-03", to: "c", "C", suppliers: ["large"]),
                Build.award("4", "100", on: "2014-02-04", to: "d", "D", suppliers: ["unknown"]),
                Build.award("5", "100", on: "2014-02-05", to: "e", "E", suppliers: []),
                Build.award("6", "100", on: "2014-02-06", to: "f", "F", suppliers: ["missing"]),
                Build.award("7", "100", on: "2014-02-07", to: "g", "G", suppliers: ["large", "sme"]),
                Build.award("8", "100", on: "2014-02-08", to: "h", "H", suppliers: ["large", "unknown"]),
            ],
            suppliers: [
                Supplier(id: "sme", name: "S", scale: .sme), Supplier(id: "micro", name: "M", scale: .micro),
                Supplier(id: "large", name: "L", scale: .large), Supplier(id: "unknown", name: "U", scale: .unknown),
            ])
        let digest = try run(snapshot, at: "2014-03-01T09:00:00Z")
        #expect(digest.items(in: "Suppliers").map(\.text) == ["3 of 4 awards with known suppliers went to SMEs (75%)"])
        #expect(digest.summary == "8 awards, 3 to SMEs, £800 of support")
        let large = Snapshot(awards: [Build.award("1", "100", on: "2014-02-01", to: "a", "A", suppliers: ["large"])],
                             suppliers: [Supplier(id: "large", name: "L", scale: .large)])
        let none = try run(large, at: "2014-03-01T09:00:00Z")
        #expect(none.summary == "1 award, none to SMEs, £100 of support")
        #expect(none.items(in: "Suppliers").map(\.text) == ["0 of 1 award with known suppliers went to SMEs (0%)"])
        let unknown = Snapshot(awards: [Build.award("1", "100", on: "2014-02-01", to: "a", "A")])
        let noShare = try run(unknown, at: "2014-03-01T09:00:00Z")
        #expect(noShare.items(in: "Suppliers").isEmpty)
        #expect(noShare.summary == "1 award, £100 of support")
    }

    @Test("an empty period gives the empty digest, whatever came before")
    func empty() throws {
        #expect(try run(programme, at: "2013-04-01T08:00:00Z") == .empty)
        #expect(try run(.empty, at: "2013-04-01T08:00:00Z").isEmpty)
    }

    @Test("options: defaults, hashtags, bad values")
    func options() throws {
        #expect(FundingSummary.Options() == FundingSummary.Options(period: .month, top: 5, breakdown: .programme, currency: nil, hashtags: []))
        #expect(try run(programme, at: "2013-03-01T09:00:00Z", options: #"{"hashtags":["mutuals"]}"#).hashtags == ["mutuals"])
        #expect(throws: DecodingError.self) { try run(programme, at: "2013-03-01T09:00:00Z", options: #"{"top":-1}"#) }
        #expect(throws: DecodingError.self) { try run(programme, at: "2013-03-01T09:00:00Z", options: #"{"period":"fortnight"}"#) }
        #expect(FundingSummary.name == "funding-summary")
    }
}
