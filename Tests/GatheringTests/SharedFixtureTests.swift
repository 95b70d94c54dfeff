import Foundation
import Gathering
import ReportKit
import SnapshotArchive
import Testing

/// Every file in ../shared/data/360giving: the good ones give the counts and exact totals Python
/// computes independently; the broken ones give the quarantine entries a reader of the file would
/// write by hand, and never crash.
@Suite struct SharedFixtureTests {
    func gather(_ name: String, _ format: SourceDefinition.Format, limit: BadRowLimit? = nil) throws -> GatherResult {
        try Gatherer.gather([SourceDefinition(name: "fixture", path: Fixtures.shared(name), format: format, maxBadRows: limit)])
    }

    static func csv(_ encoding: TextEncoding = .utf8) -> SourceDefinition.Format {
        .threeSixtyGivingCSV(CSVLayout(records: .awards, encoding: encoding))
    }

    /// Count and exact total per currency of the ALWF file, by Python's json and decimal modules.
    @Test func realFileTotalsMatchPythonPerCurrency() throws {
        let result = try gather("andrew-lloyd-webber-foundation.json", .threeSixtyGiving)
        let python = try Python.run("""
            import json, decimal, sys, collections
            d = json.load(open(sys.argv[1]), parse_float=decimal.Decimal, parse_int=decimal.Decimal)
            t = collections.defaultdict(decimal.Decimal); n = collections.Counter()
            for g in d['grants']: t[g['currency']] += g['amountAwarded']; n[g['currency']] += 1
            for c in sorted(t): print(c, n[c], t[c])
            """, Fixtures.shared("andrew-lloyd-webber-foundation.json").path)
        let expected = python.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(result.quarantine.isEmpty)
        #expect(result.awardTotals.map { "\($0.currency) \($0.count) \($0.total)" } == expected.map { "\($0[0]) \($0[1]) \(Decimal(string: $0[2])!)" })
        #expect(result.sources[0].read == 475)
        #expect(result.sources[0].fetch.status == .file)
        #expect(result.sources[0].fetch.bytes == 683_990)
    }

    @Test func flattenedCSVWithInvalidDatesQuarantinesEachRowByLineAndColumnTitle() throws {
        let result = try gather("fundingproviders_grants_2_grants.csv", Self.csv())
        #expect(result.snapshot.awards.isEmpty)
        #expect(result.sources[0].read == 2)
        #expect(result.quarantine.map { $0.location.components(separatedBy: ":").last! } == ["2", "3"])
        #expect(result.quarantine.allSatisfy { $0.field == "Award Date" && $0.reason.contains("'24/07/2014' is not a date") })
    }

    @Test func windows1252IsDecodedWhenConfiguredAndRejectedWithTheLineWhenNot() throws {
        let result = try gather("fundingproviders-grants_2_grants_cp1252.csv", Self.csv(.windows1252))
        #expect(result.quarantine.count == 2)
        #expect(result.quarantine.allSatisfy { $0.field == "Award Date" })
        #expect {
            try gather("fundingproviders-grants_2_grants_cp1252.csv", Self.csv())
        } throws: { error in
            let e = error as? GatheringError
            return e?.location.hasSuffix("cp1252.csv:2") == true && e?.message.contains("windows-1252") == true
        }
    }

    @Test func windows1252BytesBecomeTheRightCharacters() throws {
        // 0x80 is the euro sign in Windows-1252 and 0xA3 the pound sign, as Excel writes them.
        let header = Array("Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,Funding Org:Name\n".utf8)
        let row = Array("x,".utf8) + [0x80, 0xA3] + Array(" grant,GBP,5,2014-07-24,GB-1,R,GB-2,F\n".utf8)
        let url = try Fixtures.writeBytes(header + row, name: "w.csv")
        let result = try Gatherer.gather([SourceDefinition(name: "w", path: url, format: Self.csv(.windows1252))])
        let python = try Python.run("import csv, sys; print(list(csv.reader(open(sys.argv[1], encoding='cp1252')))[1][1])", url.path)
        #expect(result.snapshot.awards.map(\.title) == [python])
        #expect(python == "€£ grant")
    }

    @Test func byteOrderMarkIsNotPartOfTheFirstColumnTitle() throws {
        let result = try gather("bom.csv", Self.csv())
        // The Identifier column was recognised (the BOM did not stick to it): the row fails on Title, not Identifier.
        #expect(result.quarantine.count == 1)
        #expect(result.quarantine[0].field == "Title")
        #expect(result.quarantine[0].location.hasSuffix("bom.csv:2"))
    }

    @Test func decimalAmountFixturesWithoutIdentifiersAreQuarantinedRowByRow() throws {
        let json = try gather("decimal_amounts.json", .threeSixtyGiving)
        #expect(json.quarantine.count == 7)
        #expect(json.quarantine.map { $0.location.components(separatedBy: "#").last! } == (0..<7).map { "/grants/\($0)" })
        #expect(json.quarantine.allSatisfy { $0.field == "id" && $0.reason == "is required but missing" })
        let csv = try gather("decimal_amounts.csv", Self.csv())
        #expect(csv.quarantine.map { $0.location.components(separatedBy: ":").last! } == (2...8).map { "\($0)" })
        #expect(csv.quarantine.allSatisfy { $0.field == "Identifier" })
    }

    @Test func amountsAreExactPlainNumbersAndAnythingElseIsRejectedWithTheValue() throws {
        let header = "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,Funding Org:Name\n"
        func row(_ id: String, _ amount: String) -> String { "\(id),T,GBP,\(amount),2014-07-24,GB-CHC-1,R,GB-GOR-D2,F\n" }
        let url = try Fixtures.write(header + row("a", "1000.10") + row("b", "\"£1,000\"") + row("c", "1.5m") + row("d", "0.1")
            + row("e", "123456789012345678901234.5") + row("f", "1e3"), name: "amounts.csv")
        let result = try Gatherer.gather([SourceDefinition(name: "a", path: url, format: Self.csv())])
        let awards = result.snapshot.awards
        #expect(awards.map(\.id) == ["a", "d", "e"])
        #expect(awards.map(\.amount.amount) == [Decimal(string: "1000.10")!, Decimal(string: "0.1")!,
                                                Decimal(string: "123456789012345678901234.5")!])
        #expect(result.quarantine.map(\.location).map { $0.components(separatedBy: ":").last! } == ["3", "4", "7"])
        #expect(result.quarantine.allSatisfy { $0.field == "Amount Awarded" && $0.reason.contains("not a plain number") })
        #expect(result.quarantine[0].reason.contains("'£1,000'"))
        #expect(result.quarantine[1].reason.contains("'1.5m'"))
        #expect(result.awardTotals.first?.total == Decimal(string: "123456789012345678902234.7")!)
    }

    @Test func maxBadRowsAsACountOrAPercentageFailsWithAClearMessage() throws {
        let within = try gather("decimal_amounts.json", .threeSixtyGiving, limit: .count(7))
        #expect(within.limitBreaches.isEmpty)
        let over = try gather("decimal_amounts.json", .threeSixtyGiving, limit: .count(6))
        #expect(over.limitBreaches.count == 1)
        #expect(over.limitBreaches[0].message.contains("7 of 7 records quarantined, more than max_bad_rows 6"))
        #expect(throws: GatheringError.self) { try over.requireWithinLimits() }
        let percent = try gather("nulls.json", .threeSixtyGiving, limit: BadRowLimit(parsing: "50%"))
        #expect(percent.limitBreaches.first?.message.contains("2 of 2 records quarantined, more than max_bad_rows 50%") == true)
        let real = try gather("andrew-lloyd-webber-foundation.json", .threeSixtyGiving, limit: BadRowLimit(parsing: "0%"))
        #expect(real.limitBreaches.isEmpty)
        #expect(BadRowLimit(parsing: "5 %") == .percent(5))
        #expect(BadRowLimit(parsing: "lots") == nil)
        #expect(BadRowLimit(parsing: "101%") == nil)
    }

    @Test func snapshotArchiveRoundTripsEveryAwardOfTheRealFile() throws {
        let result = try gather("andrew-lloyd-webber-foundation.json", .threeSixtyGiving)
        let bytes = try result.archive.encoded()
        let decoded = try bytes.withUnsafeBytes { try SnapshotArchiveDecoding.decode($0) }
        #expect(decoded == result.snapshot.awards)
        let first = try #require(decoded.first)
        #expect(first.dateModified == ISO8601DateFormatter().date(from: "2021-02-15T00:00:00Z"))
        #expect(first.durationMonths == 36)
        #expect(first.provenance.first?.url?.absoluteString == "http://www.andrewlloydwebberfoundation.com/")
    }
}
