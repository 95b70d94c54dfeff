import Anniversaries
import Foundation
import ReportKit
import ReportKitTestKit
import Testing

@Suite("anniversaries plugin")
struct AnniversariesTests {
    let spiral = Build.mutual("spiral", "Spiral Health CIC", spunOut: "2012-04-01", status: .ceased,
                              ceased: "2019-01-31", url: "https://en.wikipedia.org/wiki/Spiral_Health_CIC")
    let launch = Build.milestone("M2", .programmeLaunched, "2011-12-06", "Mutuals Support Programme", anchors: true)

    func run(_ snapshot: Snapshot, at time: String, options: String = "{}") throws -> Digest {
        try PluginHarness.run(Anniversaries.self, snapshot: snapshot, at: time, options: options)
    }

    @Test("a series anchor reads 'N years on', with 'one year on' for the first")
    func seriesAnchor() throws {
        let snapshot = Snapshot(milestones: [launch])
        // Monday 3 December 2012, 09:00 GMT: the week of 3 to 9 December holds 6 December.
        let first = try run(snapshot, at: "2012-12-03T09:00:00Z")
        #expect(first.texts == ["Mutuals Support Programme: one year on"])
        let second = try run(snapshot, at: "2013-12-02T09:00:00Z")
        #expect(second.texts == ["Mutuals Support Programme: 2 years on"])
        #expect(second.title == "Anniversaries this week")
        #expect(second.summary == "1 anniversary in the week of 2 to 8 December 2013: Mutuals Support Programme")
        #expect(second.sections.map(\.title) == ["Friday 6 December 2013"])
        #expect(second.hashtags == ["mutuals"])
    }

    @Test("an organisation reads 'N year(s) since spinning out', with its source link")
    func organisation() throws {
        // Monday 1 April 2013, 09:00 BST.
        let digest = try run(Snapshot(organisations: [spiral]), at: "2013-04-01T08:00:00Z")
        #expect(digest.texts == ["Spiral Health CIC: 1 year since spinning out"])
        #expect(digest.sections.first?.items.first?.link == URL(string: "https://en.wikipedia.org/wiki/Spiral_Health_CIC"))
        #expect(digest.links.map(\.url) == [URL(string: "https://en.wikipedia.org/wiki/Spiral_Health_CIC")!])
        #expect(digest.summary == "1 anniversary in the week of 1 to 7 April 2013: Spiral Health CIC")
    }

    @Test("other milestones read 'N years since …' from their title")
    func otherMilestones() throws {
        let snapshot = Snapshot(milestones: [
            Build.milestone("M3", .firstAwards, "2012-05-10", "The first Mutuals Support Programme awards"),
            Build.milestone("M6", .awardBatchAnnounced, "2013-02-15", "£1m of support for 21 mutuals was announced"),
        ])
        #expect(try run(snapshot, at: "2014-05-05T08:00:00Z").texts
            == ["2 years since the first Mutuals Support Programme awards"])
        #expect(try run(snapshot, at: "2014-02-10T09:00:00Z").texts
            == ["1 year since £1m of support for 21 mutuals was announced"])
    }

    @Test("a ceased organisation is left out once it has ceased by the window's last day")
    func ceased() throws {
        let snapshot = Snapshot(organisations: [spiral])
        // Listed every year up to and including 2018 (ceased 31 January 2019)…
        #expect(try run(snapshot, at: "2018-03-28T09:00:00Z").texts == ["Spiral Health CIC: 6 years since spinning out"])
        // …and never from 2019.
        #expect(try run(snapshot, at: "2019-04-01T08:00:00Z") == .empty)
        #expect(try run(snapshot, at: "2020-03-30T08:00:00Z") == .empty)
    }

    @Test("the ceased date is compared with the window's last day")
    func ceasedWithinWindow() throws {
        // Ceased on the Friday of the anniversary week: on or before the last day, so left out.
        let ceasedThatWeek = Build.mutual("a", "Alpha CIC", spunOut: "2012-04-01", ceased: "2013-04-05")
        #expect(try run(Snapshot(organisations: [ceasedThatWeek]), at: "2013-04-01T08:00:00Z") == .empty)
        // Ceased the day after the window: still listed.
        let ceasedAfter = Build.mutual("b", "Beta CIC", spunOut: "2012-04-01", ceased: "2013-04-08")
        #expect(try run(Snapshot(organisations: [ceasedAfter]), at: "2013-04-01T08:00:00Z").texts
            == ["Beta CIC: 1 year since spinning out"])
        // Status ceased with no date: always left out.
        let ceasedUndated = Build.mutual("c", "Gamma CIC", spunOut: "2012-04-01", status: .ceased)
        #expect(try run(Snapshot(organisations: [ceasedUndated]), at: "2013-04-01T08:00:00Z") == .empty)
        // A ceased date known only to the year counts from its first day.
        let ceasedYear = Build.mutual("d", "Delta CIC", spunOut: "2012-04-01", ceased: "2013")
        #expect(try run(Snapshot(organisations: [ceasedYear]), at: "2013-04-01T08:00:00Z") == .empty)
    }

    @Test("only day-precision dates produce anniversaries", arguments: ["{}", #"{"window":"month"}"#, #"{"window":"year"}"#])
    func precision(_ options: String) throws {
        let snapshot = Snapshot(
            organisations: [
                Build.mutual("kym", "Knowsley Youth Mutual", spunOut: "2014-04"),
                Build.mutual("chcp", "City Health Care Partnership CIC", spunOut: "2010"),
            ],
            milestones: [Build.milestone("M3", .firstAwards, "2012", "The first Mutuals Support Programme awards")])
        #expect(try run(snapshot, at: "2015-04-01T08:00:00Z", options: options) == .empty)
    }

    @Test("29 February anniversaries fall on 28 February in common years")
    func leapDay() throws {
        let snapshot = Snapshot(organisations: [Build.mutual("leap", "Leap Day CIC", spunOut: "2012-02-29")])
        let common = try run(snapshot, at: "2013-02-25T09:00:00Z")  // week of 25 February to 3 March 2013
        #expect(common.texts == ["Leap Day CIC: 1 year since spinning out"])
        #expect(common.sections.map(\.title) == ["Thursday 28 February 2013"])
        // In a month window, the common-year anniversary is in February, not March.
        #expect(try run(snapshot, at: "2015-02-02T09:00:00Z", options: #"{"window":"month"}"#).texts
            == ["Leap Day CIC: 3 years since spinning out"])
        #expect(try run(snapshot, at: "2015-03-02T09:00:00Z", options: #"{"window":"month"}"#) == .empty)
        // In a leap year it is on the 29th.
        let leap = try run(snapshot, at: "2016-02-29T09:00:00Z")
        #expect(leap.sections.map(\.title) == ["Monday 29 February 2016"])
        #expect(leap.texts == ["Leap Day CIC: 4 years since spinning out"])
    }

    @Test("the date itself is not an anniversary: N starts at 1")
    func noZerothAnniversary() throws {
        #expect(try run(Snapshot(organisations: [spiral]), at: "2012-04-02T08:00:00Z") == .empty)
        #expect(try run(Snapshot(milestones: [launch]), at: "2011-12-05T09:00:00Z") == .empty)
    }

    @Test("items are ordered by date, then name, one section per day")
    func ordering() throws {
        let snapshot = Snapshot(
            organisations: [
                Build.mutual("z", "Zeta CIC", spunOut: "2012-04-01"),
                Build.mutual("a", "Alpha CIC", spunOut: "2011-04-01"),
                Build.mutual("m", "Mu CIC", spunOut: "2010-03-30"),
            ],
            milestones: [Build.milestone("x", .other, "2012-04-01", "Beta milestone happened")])
        let digest = try run(snapshot, at: "2013-04-01T08:00:00Z", options: #"{"window":"last-7-days"}"#)
        // Last 7 days up to Monday 1 April 2013: 26 March to 1 April.
        #expect(digest.sections.map(\.title) == ["Saturday 30 March 2013", "Monday 1 April 2013"])
        #expect(digest.texts == [
            "Mu CIC: 3 years since spinning out",
            "Alpha CIC: 2 years since spinning out",
            "1 year since Beta milestone happened",
            "Zeta CIC: 1 year since spinning out",
        ])
        #expect(digest.title == "Anniversaries in the last 7 days")
        #expect(digest.summary == "4 anniversaries from 26 March to 1 April 2013: Mu CIC, Alpha CIC, Beta milestone happened and Zeta CIC")
    }

    @Test("the window is the week containing the logical time, in the job's zone")
    func weekContainingLogicalTime() throws {
        let snapshot = Snapshot(organisations: [Build.mutual("a", "Alpha CIC", spunOut: "2013-07-06")])
        // 00:30 UTC on Monday 7 July 2014 is 01:30 Monday in London: the week of 7 to 13 July, not 30 June to 6 July.
        #expect(try run(snapshot, at: "2014-07-07T00:30:00Z") == .empty)
        #expect(try run(snapshot, at: "2014-07-06T22:30:00Z").texts == ["Alpha CIC: 1 year since spinning out"])
        // In New York it is still Sunday 6 July.
        #expect(try PluginHarness.run(Anniversaries.self, snapshot: snapshot, at: "2014-07-07T00:30:00Z",
                                      timeZone: "America/New_York").texts == ["Alpha CIC: 1 year since spinning out"])
    }

    @Test("a week across the new year counts each date's own years")
    func acrossNewYear() throws {
        let snapshot = Snapshot(organisations: [
            Build.mutual("a", "Alpha CIC", spunOut: "2012-12-30"),
            Build.mutual("b", "Beta CIC", spunOut: "2013-01-02"),
        ])
        let digest = try run(snapshot, at: "2014-12-29T09:00:00Z")
        #expect(digest.texts == ["Alpha CIC: 2 years since spinning out", "Beta CIC: 2 years since spinning out"])
        #expect(digest.summary.contains("29 December 2014 to 4 January 2015"))
    }

    @Test("'2 years on' posts and duplicate spin-out milestones are not repeated")
    func skippedMilestones() throws {
        let snapshot = Snapshot(
            organisations: [spiral],
            milestones: [
                Build.milestone("M7", .anniversaryPost, "2014-03-04", "Mutuals support programme: 2 years on"),
                Build.milestone("S", .spinOut, "2012-04-01", "Spiral Health CIC spun out", subjects: ["spiral"]),
            ])
        #expect(try run(snapshot, at: "2015-03-02T09:00:00Z") == .empty)
        #expect(try run(snapshot, at: "2013-04-01T08:00:00Z").texts == ["Spiral Health CIC: 1 year since spinning out"])
        #expect(try run(snapshot, at: "2019-04-01T08:00:00Z") == .empty)
    }

    @Test("a record sourced only illustratively is never posted")
    func illustrative() throws {
        var madeUp = Build.mutual("x", "Example CIC", spunOut: "2012-04-01")
        madeUp.provenance = [Provenance(url: URL(string: "https://example.org")!, confidence: .illustrative)]
        #expect(try run(Snapshot(organisations: [madeUp]), at: "2013-04-01T08:00:00Z") == .empty)
        madeUp.provenance.append(Provenance(url: URL(string: "https://example.org/news")!, confidence: .news))
        #expect(try run(Snapshot(organisations: [madeUp]), at: "2013-04-01T08:00:00Z").texts == ["Example CIC: 1 year since spinning out"])
    }

    @Test("nothing in the window gives the empty digest")
    func empty() throws {
        let digest = try run(Snapshot(organisations: [spiral], milestones: [launch]), at: "2013-06-03T08:00:00Z")
        #expect(digest == .empty)
        #expect(digest.isEmpty)
        #expect(try run(.empty, at: "2013-06-03T08:00:00Z").isEmpty)
    }

    @Test("options: window and hashtags")
    func options() throws {
        let snapshot = Snapshot(organisations: [spiral], milestones: [launch])
        let month = try run(snapshot, at: "2013-12-15T09:00:00Z", options: #"{"window":"month","hashtags":["mutuals","publicservices"]}"#)
        #expect(month.title == "Anniversaries this month")
        #expect(month.summary == "1 anniversary in December 2013: Mutuals Support Programme")
        #expect(month.hashtags == ["mutuals", "publicservices"])
        let year = try run(snapshot, at: "2013-06-01T09:00:00Z", options: #"{"window":"year"}"#)
        #expect(year.texts == ["Spiral Health CIC: 1 year since spinning out", "Mutuals Support Programme: 2 years on"])
        #expect(throws: DecodingError.self) { try run(snapshot, at: "2013-06-01T09:00:00Z", options: #"{"window":"fortnight"}"#) }
    }

    @Test("the plugin's identity")
    func identity() {
        #expect(Anniversaries.name == "anniversaries")
        #expect(!Anniversaries.summary.isEmpty)
        #expect(Anniversaries.Options() == Anniversaries.Options(window: .week, hashtags: ["mutuals"]))
    }
}
