import Foundation
import Gathering
import ReportKit
import Testing

@Suite struct RecordsFileTests {
    @Test func yamlRecordsCarryTheirLineAndBadOnesAreQuarantined() throws {
        let url = try Fixtures.write("""
            organisations:
              - id: 360G-msp-spiral-health
                name: Spiral Health CIC
                spinOutDate: "2012-04-01"
                mutualStatus: ceased
                ceasedDate: "2019-01-31"
              - id: 360G-msp-bad
                name: Bad Date Ltd
                spinOutDate: "31/02/2012"
              - id: 360G-msp-bad-status
                name: Unknown Status
                mutualStatus: thriving
            milestones:
              - id: M2
                kind: programme_launched
                date: "2011-12-06"
                title: Mutuals Support Programme
                anchorsSeries: true
                provenance:
                  - url: https://www.civilsociety.co.uk/news/x.html
                    publisher: Civil Society
            """, name: "records.yaml")
        let result = try Gatherer.gather([SourceDefinition(name: "orgs", path: url, format: .records)])
        #expect(result.snapshot.organisations.map(\.id) == ["360G-msp-spiral-health"])
        let spiral = result.snapshot.organisations[0]
        #expect(spiral.spinOutDate == LocalDate(year: 2012, month: 4, day: 1))
        #expect(spiral.origin == RecordOrigin(source: "orgs", location: "\(url.path):2"))
        #expect(result.snapshot.milestones.first?.provenance.first?.publisher == "Civil Society")
        #expect(result.quarantine.count == 2)
        #expect(result.quarantine[0].location == "\(url.path):7")
        #expect(result.quarantine[0].field == "spinOutDate")
        #expect(result.quarantine[1].location == "\(url.path):10")
        #expect(result.quarantine[1].field == "mutualStatus")
    }

    @Test func yamlSyntaxErrorsNameLineAndColumn() throws {
        let url = try Fixtures.write("organisations:\n  - id: a\n    name: [unclosed\n", name: "broken.yaml")
        #expect {
            try Gatherer.gather([SourceDefinition(name: "orgs", path: url, format: .records)])
        } throws: { error in
            guard let e = error as? GatheringError else { return false }
            return e.location.hasPrefix(url.path + ":") && e.message.contains("invalid YAML")
        }
    }

    @Test func unknownRecordKindIsAnErrorAtItsKey() throws {
        let url = try Fixtures.write("organisations: []\ngrants: []\n", name: "kinds.yaml")
        #expect {
            try Gatherer.gather([SourceDefinition(name: "x", path: url, format: .records)])
        } throws: { error in
            (error as? GatheringError)?.location == "\(url.path):2:1"
        }
    }

    @Test func duplicateIdsAcrossSourcesKeepTheFirst() throws {
        let a = try Fixtures.write("organisations:\n  - {id: o1, name: First}\n", name: "a.yaml")
        let b = try Fixtures.write("{\"organisations\": [{\"id\": \"o1\", \"name\": \"Second\"}]}", name: "b.json")
        let result = try Gatherer.gather([
            SourceDefinition(name: "a", path: a, format: .records), SourceDefinition(name: "b", path: b, format: .records),
        ])
        #expect(result.snapshot.organisations.map(\.name) == ["First"])
        #expect(result.quarantine.count == 1)
        #expect(result.quarantine[0].location == "\(b.path)#/organisations/0")
        #expect(result.quarantine[0].reason.contains("duplicate id 'o1'"))
    }

    @Test func missingFileIsAnErrorNamingIt() {
        let url = URL(fileURLWithPath: "/nonexistent/organisations.yaml")
        #expect {
            try Gatherer.gather([SourceDefinition(name: "orgs", path: url, format: .records)])
        } throws: { error in
            let e = error as? GatheringError
            return e?.location == url.path && e?.message.contains("does not exist") == true
        }
    }
}
