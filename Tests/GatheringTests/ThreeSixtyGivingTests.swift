import Foundation
import Gathering
import ReportKit
import Testing

@Suite struct ThreeSixtyGivingTests {
    func gather(_ name: String) throws -> GatherResult {
        try Gatherer.gather([SourceDefinition(name: "fixture", path: Fixtures.shared(name), format: .threeSixtyGiving)])
    }

    /// Independent count and exact total, computed with Python's json module and Decimal.
    func pythonFigures(_ name: String) throws -> (count: Int, total: Decimal) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, decimal, sys
            d = json.load(open(sys.argv[1]), parse_float=decimal.Decimal)
            print(len(d['grants']), sum(decimal.Decimal(str(g['amountAwarded'])) for g in d['grants']))
            """, Fixtures.shared(name).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let parts = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return (Int(parts[0])!, Decimal(string: parts[1])!)
    }

    @Test func realPublisherFileGivesEveryGrantAndTheExactTotal() throws {
        let result = try gather("andrew-lloyd-webber-foundation.json")
        let expected = try pythonFigures("andrew-lloyd-webber-foundation.json")
        #expect(result.quarantine.isEmpty)
        #expect(result.snapshot.awards.count == expected.count)
        #expect(result.snapshot.awards.reduce(Decimal(0)) { $0 + $1.amount.amount } == expected.total)
        let first = try #require(result.snapshot.award(id: "360G-ALWF-1978"))
        #expect(first.recipientName == "Royal Northern College of Music")
        #expect(first.awardDate == LocalDate(year: 2020, month: 11, day: 3))
        #expect(first.programme?.title == "Music")
        #expect(first.origin?.location.hasSuffix("#/grants/0") == true)
    }

    @Test func nullsAreQuarantinedWithTheFieldAndPath() throws {
        let result = try gather("nulls.json")
        #expect(result.snapshot.awards.isEmpty)
        #expect(result.quarantine.count == 2)
        #expect(result.quarantine.allSatisfy { $0.field == "id" && $0.reason.contains("missing") })
        #expect(result.quarantine.map(\.location).map { $0.components(separatedBy: "#").last! } == ["/grants/0", "/grants/1"])
    }

    @Test func invalidDatesAreRejectedNotGuessed() throws {
        for name in ["fundingproviders-grants_fixed_2_grants.json", "fundingproviders-grants_broken_grants.json"] {
            let result = try gather(name)
            #expect(result.snapshot.awards.isEmpty)
            #expect(result.quarantine.count == 4)
            #expect(result.quarantine.allSatisfy { $0.field == "awardDate" && $0.reason.contains("24/07/2014") })
        }
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        #expect {
            try gather("fundingproviders-grants_malformed.json")
        } throws: { error in
            let e = error as? GatheringError
            // Python's json module reports the same place: "line 10 column 15".
            return e?.location.hasSuffix("fundingproviders-grants_malformed.json:10:15") == true
        }
    }

    @Test func firstFunderOfSeveralIsUsed() throws {
        let result = try gather("multiple_funder_names_org_ids.json")
        #expect(result.snapshot.awards.count == 2)
        #expect(result.snapshot.awards.allSatisfy { $0.funderId != nil && $0.funderName != nil })
    }

    @Test func amountsAsStringsAreRejectedWithTheReason() throws {
        let url = try Fixtures.write("""
            {"grants": [
              {"id": "360G-x-1", "title": "ok", "currency": "GBP", "amountAwarded": 1000.10, "awardDate": "2014-07-24",
               "recipientOrganization": [{"id": "GB-CHC-1", "name": "A"}], "fundingOrganization": [{"id": "GB-GOR-D2", "name": "F"}]},
              {"id": "360G-x-2", "title": "bad", "currency": "GBP", "amountAwarded": "£1,000", "awardDate": "2014-07-24",
               "recipientOrganization": [{"id": "GB-CHC-2", "name": "B"}], "fundingOrganization": [{"id": "GB-GOR-D2", "name": "F"}]},
              {"id": "360G-x-3", "title": "bad currency", "currency": "pounds", "amountAwarded": 5, "awardDate": "2014-07-24",
               "recipientOrganization": [{"id": "GB-CHC-3", "name": "C"}], "fundingOrganization": [{"id": "GB-GOR-D2", "name": "F"}]}
            ]}
            """, name: "grants.json")
        let result = try Gatherer.gather([SourceDefinition(name: "g", path: url, format: .threeSixtyGiving)])
        #expect(result.snapshot.awards.map(\.id) == ["360G-x-1"])
        #expect(result.snapshot.awards[0].amount.amount == Decimal(string: "1000.10"))
        #expect(result.quarantine.map(\.field) == ["amountAwarded", "currency"])
        #expect(result.quarantine[0].reason.contains("£1,000"))
    }
}
