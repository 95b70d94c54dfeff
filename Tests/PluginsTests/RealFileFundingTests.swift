import Foundation
import FundingSummary
import Gathering
import ReportKit
import ReportKitTestKit
import Testing

/// The funding summary on a real 360Giving file (the Andrew Lloyd Webber Foundation, 475 grants),
/// checked against figures computed independently by Fixtures/funding_figures.py. The windows are
/// written out here as dates, not derived with ReportKit's calendar.
@Suite("funding-summary on the ALWF 360Giving file")
struct RealFileFundingTests {
    /// The figures the Python script prints.
    struct Figures: Decodable {
        struct Recipient: Decodable { let key: String; let name: String; let amount: String; let count: Int }
        struct Programme: Decodable { let title: String; let count: Int; let totals: [String: String] }
        let count: Int
        let totals: [String: String]
        let top: [String: [Recipient]]
        let programmes: [Programme]
    }

    /// One period to check: the job's options and logical time, the window they must mean, and the
    /// window before it with the change line's name for it.
    struct Case: Sendable, CustomTestStringConvertible {
        let options: String
        let at: String
        let first: String?
        let last: String
        let previous: (first: String, last: String, label: String)?
        var testDescription: String { "\(options) at \(at)" }
    }

    static let top = 10

    static let cases: [Case] = [
        // The busiest year: 88 awards in 2017.
        Case(options: #"{"period":"year","top":10}"#, at: "2018-01-01T09:00:00Z", first: "2017-01-01", last: "2017-12-31",
             previous: ("2016-01-01", "2016-12-31", "2016")),
        Case(options: #"{"period":"month","top":10}"#, at: "2017-12-01T09:00:00Z", first: "2017-11-01", last: "2017-11-30",
             previous: ("2017-10-01", "2017-10-31", "October")),
        Case(options: #"{"period":"quarter","top":10}"#, at: "2017-07-01T08:00:00Z", first: "2017-04-01", last: "2017-06-30",
             previous: ("2017-01-01", "2017-03-31", "the previous quarter")),
        // Award dates written as date-times ("2020-11-03T00:00:00+00:00").
        Case(options: #"{"period":"month","top":10}"#, at: "2020-12-01T09:00:00Z", first: "2020-11-01", last: "2020-11-30",
             previous: ("2020-10-01", "2020-10-31", "October")),
        Case(options: #"{"period":"year","top":10}"#, at: "2013-01-01T09:00:00Z", first: "2012-01-01", last: "2012-12-31",
             previous: ("2011-01-01", "2011-12-31", "2011")),
        Case(options: #"{"period":"all","top":10}"#, at: "2021-01-01T09:00:00Z", first: nil, last: "2020-12-31", previous: nil),
    ]

    /// Loaded once: every case reads the same file.
    static let loaded = Result { try load() }

    static func gather() throws -> Snapshot { try loaded.get() }

    static func load() throws -> Snapshot {
        let result = try Gatherer.gather([SourceDefinition(name: "alwf", path: Paths.alwf, format: .threeSixtyGiving)])
        guard result.quarantine.isEmpty else {
            throw ReportError(code: "quarantine", message: result.quarantine.map(\.description).joined(separator: "\n"))
        }
        return result.snapshot
    }

    static func figures(first: String?, last: String) throws -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.fundingFigures.path, Paths.alwf.path, "--last", last, "--top", "\(top)"]
            + (first.map { ["--first", $0] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let hint = process.terminationStatus == 127 ? " (python3 not found: install python3)" : ""
            throw ReportError(code: "python", message: "funding_figures.py exited \(process.terminationStatus)\(hint)")
        }
        return try JSONDecoder().decode(Figures.self, from: data)
    }

    /// An amount to the penny, as the script prints it.
    static func pennies(_ money: Money?) -> String? {
        guard var value = money?.amount else { return nil }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let text = NSDecimalString(&rounded, Locale(identifier: "en_US_POSIX"))
        let parts = text.split(separator: ".", maxSplits: 1)
        return parts.count == 1 ? text + ".00" : parts[0] + "." + parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)
    }

    static func awards(_ n: Int) -> String { n == 1 ? "1 award" : "\(n) awards" }

    @Test("the file loads whole")
    func loads() throws {
        #expect(try Self.gather().awards.count == 475)
    }

    @Test("figures match the independent calculation", arguments: cases)
    func figures(_ c: Case) throws {
        let snapshot = try Self.gather()
        let expected = try Self.figures(first: c.first, last: c.last)
        #expect(expected.count > 0)
        let digest = try PluginHarness.run(FundingSummary.self, snapshot: snapshot, at: c.at, options: c.options)

        // Count and totals per currency.
        #expect(digest.summary.hasPrefix(Self.awards(expected.count) + ", "), "\(digest.summary)")
        let totals = digest.items(in: "Totals")
        #expect(totals.count == expected.totals.count)
        for item in totals {
            #expect(Self.pennies(item.amount) == expected.totals[item.amount!.currency], "\(item.text)")
            #expect(item.text.hasSuffix(" from \(Self.awards(expected.count))"))
        }

        // Top recipients: same recipients, same order, same sums.
        let top = digest.items(in: "Top recipients")
        let expectedTop = expected.top["GBP"] ?? []
        #expect(top.count == expectedTop.count)
        for (item, recipient) in zip(top, expectedTop) {
            #expect(item.text.hasPrefix(recipient.name + ": "), "\(item.text) vs \(recipient.name)")
            #expect(Self.pennies(item.amount) == recipient.amount, "\(item.text)")
            #expect(item.text.hasSuffix(" from \(recipient.count) awards") == (recipient.count > 1), "\(item.text)")
        }

        // Breakdown by programme: same groups, same order, same counts and sums.
        let programmes = digest.items(in: "By programme")
        #expect(programmes.count == expected.programmes.count)
        for (item, programme) in zip(programmes, expected.programmes) {
            #expect(item.text.hasPrefix("\(programme.title): \(Self.awards(programme.count)), "), "\(item.text)")
            #expect(Self.pennies(item.amount) == programme.totals["GBP"], "\(item.text)")
        }

        // Change against the previous period, from the script's figures for that period.
        if let previous = c.previous {
            let before = try Self.figures(first: previous.first, last: previous.last)
            let change = digest.items(in: "Compared with \(previous.label)")
            let diff = expected.count - before.count
            let countLine = diff == 0 ? "\(Self.awards(expected.count)), the same number as \(previous.label)"
                : "\(Self.awards(expected.count)), \(diff > 0 ? "up" : "down") \(abs(diff)) on \(previous.label)"
            #expect(change.first?.text == countLine)
            let amountDiff = Decimal(string: expected.totals["GBP"] ?? "0")! - Decimal(string: before.totals["GBP"] ?? "0")!
            #expect(Self.pennies(change.last?.amount) == Self.pennies(Money(amountDiff)))
        } else {
            #expect(!digest.sections.contains { $0.title.hasPrefix("Compared with") })
        }
    }
}
