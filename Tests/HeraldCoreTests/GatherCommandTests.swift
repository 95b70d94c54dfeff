import Foundation
import Testing

/// `herald gather` as an operator runs it: counts, exact totals, provenance of each source, every
/// quarantined record with where and why, and exit 1 when a source breaks its `max_bad_rows`.
@Suite struct GatherCommandTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/360giving")

    @Test func printsCountsTotalsAndQuarantineAndFailsOverTheLimit() async throws {
        let nulls = Self.shared.appendingPathComponent("nulls.json").path
        let alwf = Self.shared.appendingPathComponent("andrew-lloyd-webber-foundation.json").path
        let csv = Self.shared.appendingPathComponent("fundingproviders-grants_2_grants_cp1252.csv").path
        let home = try TestHome(jobs: [:], extraConfig: """
            sources:
              alwf: { path: \(alwf), format: 360giving, max_bad_rows: 0 }
              sheet: { path: \(csv), format: 360giving, encoding: windows-1252 }
              nulls: { path: \(nulls), format: 360giving, max_bad_rows: "50%" }
            """)
        let (status, output) = try await HeraldProcess.run(["gather", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 1)
        #expect(output.contains("alwf: 475 awards (max_bad_rows 0)"))
        #expect(output.contains("from \(alwf), 683990 bytes, file"))
        #expect(output.contains("sheet: no records, 2 quarantined"))
        #expect(output.contains("nulls: no records, 2 quarantined (max_bad_rows 50%: EXCEEDED)"))
        #expect(output.contains("\(csv):2: Award Date: '24/07/2014' is not a date"))
        #expect(output.contains("\(nulls)#/grants/1: id: is required but missing [nulls]"))
        #expect(output.contains("error: 2 of 2 records quarantined, more than max_bad_rows 50%"))
        // The total of the good source, to the penny, as Python's decimal module adds it.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import json, decimal, sys
            d = json.load(open(sys.argv[1]), parse_float=decimal.Decimal, parse_int=decimal.Decimal)
            print('{:,.2f}'.format(sum(g['amountAwarded'] for g in d['grants'])).removesuffix('.00'))
            """, alwf]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        python.waitUntilExit()
        let total = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output.contains("award totals: 475 awards, £\(total)"))

        let (alone, aloneOutput) = try await HeraldProcess.run(["gather", "--config", "etc/herald.yaml", "--source", "alwf"],
                                                               in: home.url)
        #expect(alone == 0)
        #expect(!aloneOutput.contains("quarantined"))
    }

    @Test func checkRejectsABadLimitAndAnUnknownEncodingWithTheirPositions() async throws {
        let home = try TestHome(jobs: [:], extraConfig: """
            sources:
              a: { path: etc/herald.yaml, format: 360giving-csv, encoding: ebcdic }
              b: { url: "ftp://example.org/x.json", format: 360giving, max_bad_rows: lots }
            """)
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 1)
        #expect(output.contains("encoding must be utf-8 or windows-1252, not 'ebcdic'"))
        #expect(output.contains("url must be an http:// or https:// address"))
    }
}
