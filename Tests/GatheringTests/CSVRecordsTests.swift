import Foundation
import Gathering
import ReportKit
import Testing

@Suite struct CSVRecordsTests {
    @Test func statisticsRowsWithQuotesBOMAndProvenance() throws {
        let url = try Fixtures.write(
            "\u{FEFF}as_of,metric,dimension,value,qualifier,source_url,source_publisher\r\n"
                + "2013-02-15,awards_count,,21,exact,https://example.org/a,\"Public Finance, news\"\r\n"
                + "2014-07-23,services_value_gbp,,1500000000,approx,https://example.org/b,Wired-Gov\r\n"
                + "2014-07-23,mutual_employees,,\"35,000\",approx,https://example.org/c,Wired-Gov\r\n"
                + "2014,mutuals_total,,100\r\n",
            name: "statistics.csv")
        let result = try Gatherer.gather([
            SourceDefinition(name: "stats", path: url, format: .csv(CSVLayout(records: .statistics))),
        ])
        #expect(result.snapshot.statistics.map(\.metric) == ["awards_count", "services_value_gbp"])
        #expect(result.snapshot.statistics[0].provenance.first?.publisher == "Public Finance, news")
        #expect(result.snapshot.statistics[1].value == 1_500_000_000)
        #expect(result.snapshot.statistics[1].qualifier == .approx)
        // "35,000" is not a plain number: rejected with the reason, never read as 35.
        #expect(result.quarantine.count == 2)
        #expect(result.quarantine[0].location == "\(url.path):4")
        #expect(result.quarantine[0].field == "value")
        #expect(result.quarantine[0].reason.contains("35,000"))
        #expect(result.quarantine[1].location == "\(url.path):5")
        #expect(result.quarantine[1].reason.contains("fields but the header has"))
    }

    @Test func quotedFieldsMayHoldNewlinesAndTheLineNumberFollows() throws {
        let url = try Fixtures.write(
            "as_of,metric,value,source_title\n2013-02-15,a,1,\"two\nlines\"\nnot-a-date,b,2,x\n", name: "multi.csv")
        let result = try Gatherer.gather([
            SourceDefinition(name: "s", path: url, format: .csv(CSVLayout(records: .statistics))),
        ])
        #expect(result.snapshot.statistics.first?.provenance.first?.title == "two\nlines")
        #expect(result.quarantine.map(\.location) == ["\(url.path):4"])
        #expect(result.quarantine.first?.field == "asOf")
    }

    @Test func mappedColumns() throws {
        let url = try Fixtures.write("Date;Measure;Figure\n2013-02-15;awards_count;21\n", name: "mapped.csv")
        let layout = CSVLayout(records: .statistics, columns: ["Date": "asOf", "Measure": "metric", "Figure": "value"],
                               delimiter: ";")
        let result = try Gatherer.gather([SourceDefinition(name: "s", path: url, format: .csv(layout))])
        #expect(result.quarantine.isEmpty)
        #expect(result.snapshot.statistics.first?.value == 21)
    }
}
