import Foundation
import Gathering
import ReportKit
import Testing

/// Files large enough to be read on two threads (``SplitReader``, 4 MB and up): the two halves'
/// tables are joined without merging their strings, so ids, totals and lookups must still treat a
/// text from either half as the same text.
@Suite struct SplitReadingTests {
    static let grants = 14_000

    static func id(_ i: Int) -> String { "360G-split-\(i)" }

    /// Grant `i`; the last grant repeats the id of the first (one half each), and one grant in the
    /// second half repeats another id of that half.
    static func grantID(_ i: Int) -> String {
        if i == grants - 1 { return id(0) }
        if i == grants - 10 { return id(grants - 20) }
        return id(i)
    }

    static func json() -> String {
        var text = "{\"grants\": [\n"
        for i in 0..<grants {
            if i > 0 { text += ",\n" }
            text += """
                {"id":"\(grantID(i))","title":"Grant to Recipient \(i % 500)","description":"Support for the arts programme",\
                "currency":"GBP","amountAwarded":\(1000 + i).50,"awardDate":"2017-11-\(String(format: "%02d", 1 + i % 28))",\
                "recipientOrganization":[{"id":"GB-CHC-\(i % 500)","name":"Recipient \(i % 500)"}],\
                "fundingOrganization":[{"id":"GB-CHC-1015648","name":"Andrew Lloyd Webber Foundation"}],\
                "dataSource":"http://www.andrewlloydwebberfoundation.com/","padding":"\(String(repeating: "x", count: 100))"}
                """
        }
        return text + "\n]}\n"
    }

    static func csv() -> String {
        var text = "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,"
            + "Funding Org:Identifier,Funding Org:Name,Notes\n"
        for i in 0..<grants {
            text += "\(grantID(i)),Grant to Recipient \(i % 500),Support for the arts programme,GBP,\(1000 + i).50,"
                + "2017-11-\(String(format: "%02d", 1 + i % 28)),GB-CHC-\(i % 500),Recipient \(i % 500),GB-CHC-1015648,"
                + "Andrew Lloyd Webber Foundation,\(String(repeating: "x", count: 250))\n"
        }
        return text
    }

    /// The sum of every grant's amount but the two duplicates'.
    static var expectedTotal: Decimal {
        var total = Decimal(0)
        for i in 0..<grants where i != grants - 1 && i != grants - 10 { total += Decimal(string: "\(1000 + i).50")! }
        return total
    }

    /// `first…` and `later…` end the locations of the first and the repeated grant of each duplicate.
    func check(_ result: GatherResult, first: String, later: String, firstInHalf: String, laterInHalf: String) throws {
        #expect(result.snapshot.awards.count == Self.grants - 2)
        #expect(result.quarantine.count == 2)
        let across = try #require(result.quarantine.first { $0.reason.contains("duplicate id '\(Self.id(0))'") })
        #expect(across.location.hasSuffix(later))
        #expect(across.reason.hasSuffix("\(first))"))
        let within = try #require(result.quarantine.first { $0.reason.contains("duplicate id '\(Self.id(Self.grants - 20))'") })
        #expect(within.location.hasSuffix(laterInHalf))
        #expect(within.reason.hasSuffix("\(firstInHalf))"))
        // One currency, one total, however many copies of "GBP" the joined tables hold.
        #expect(result.awardTotals.count == 1)
        #expect(result.awardTotals.first?.currency == "GBP")
        #expect(result.awardTotals.first?.count == Self.grants - 2)
        #expect(result.awardTotals.first?.total == Self.expectedTotal)
        let last = try #require(result.snapshot.award(id: Self.id(Self.grants - 2)))
        #expect(last.recipientName == "Recipient \((Self.grants - 2) % 500)")
        #expect(last.funderName == "Andrew Lloyd Webber Foundation")
    }

    @Test func jsonHalvesShareIdsAndTotals() throws {
        let text = Self.json()
        #expect(text.utf8.count > 4 << 20, "the file must be large enough to be read in two halves")
        let url = try Fixtures.write(text, name: "split.json")
        let result = try Gatherer.gather([SourceDefinition(name: "split", path: url, format: .threeSixtyGiving)])
        try check(result, first: "#/grants/0", later: "#/grants/\(Self.grants - 1)",
                  firstInHalf: "#/grants/\(Self.grants - 20)", laterInHalf: "#/grants/\(Self.grants - 10)")
    }

    @Test func csvHalvesShareIdsAndTotals() throws {
        let text = Self.csv()
        #expect(text.utf8.count > 4 << 20, "the file must be large enough to be read in two halves")
        let url = try Fixtures.write(text, name: "split.csv")
        let result = try Gatherer.gather([SourceDefinition(
            name: "split", path: url, format: .threeSixtyGivingCSV(CSVLayout(records: .awards)))])
        // CSV locations are lines: the header is line 1, grant i is line i + 2.
        try check(result, first: ":2", later: ":\(Self.grants + 1)", firstInHalf: ":\(Self.grants - 18)",
                  laterInHalf: ":\(Self.grants - 8)")
    }
}
