import Foundation
import Scheduling
import Testing

/// Daylight-saving behaviour, with expected values taken from cronsim 2.8 (Debian cron's
/// policy): fixed-time jobs skipped by spring-forward fire once at the transition and fire
/// once in a repeated hour; jobs with a wildcard minute or hour follow the wall clock.
struct CronDSTTests {
    @Test func londonSpringForwardMovesAFixedTimeToTheTransition() throws {
        #expect(try fireStrings("30 1 * * *", "Europe/London", after: "2026-03-28T12:00:00+00:00") == [
            "2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00",
            "2026-03-31T01:30:00+01:00", "2026-04-01T01:30:00+01:00",
        ])
    }

    @Test func londonFallBackFiresAFixedTimeOnce() throws {
        #expect(try fireStrings("30 1 * * *", "Europe/London", after: "2026-10-24T12:00:00+01:00") == [
            "2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00",
            "2026-10-27T01:30:00+00:00", "2026-10-28T01:30:00+00:00",
        ])
    }

    @Test func londonWildcardJobsFollowTheWallClock() throws {
        #expect(try fireStrings("*/30 * * * *", "Europe/London", after: "2026-03-29T00:15:00+00:00") == [
            "2026-03-29T00:30:00+00:00", "2026-03-29T02:00:00+01:00",
            "2026-03-29T02:30:00+01:00", "2026-03-29T03:00:00+01:00",
        ])
        // Both occurrences of the repeated hour fire.
        #expect(try fireStrings("*/30 * * * *", "Europe/London", after: "2026-10-25T00:45:00+01:00") == [
            "2026-10-25T01:00:00+01:00", "2026-10-25T01:30:00+01:00",
            "2026-10-25T01:00:00+00:00", "2026-10-25T01:30:00+00:00",
        ])
    }

    @Test func weeklyAndMonthlyJobsKeepTheirLocalTimeAcrossTransitions() throws {
        #expect(try fireStrings("0 9 * * 1", "Europe/London", after: "2026-03-27T12:00:00+00:00", count: 2) == [
            "2026-03-30T09:00:00+01:00", "2026-04-06T09:00:00+01:00",
        ])
        #expect(try fireStrings("0 9 1 * *", "Europe/London", after: "2026-02-15T12:00:00+00:00", count: 2) == [
            "2026-03-01T09:00:00+00:00", "2026-04-01T09:00:00+01:00",
        ])
    }

    @Test func startingInTheSecondOccurrenceGivesTheNextFireAfterIt() throws {
        // cronsim's naive walk would answer 01:45 BST, which is before the start; Herald
        // returns the next one after it.
        #expect(try fireStrings("45 1 * * *", "Europe/London", after: "2026-10-25T01:30:00+00:00", count: 2) == [
            "2026-10-26T01:45:00+00:00", "2026-10-27T01:45:00+00:00",
        ])
    }

    @Test func newYork() throws {
        #expect(try fireStrings("30 2 * * *", "America/New_York", after: "2026-03-07T12:00:00-05:00", count: 2) == [
            "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
        ])
        #expect(try fireStrings("30 1 * * *", "America/New_York", after: "2026-10-31T12:00:00-04:00", count: 2) == [
            "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00",
        ])
    }

    @Test func lordHoweHalfHourShift() throws {
        // 02:00 jumps to 02:30: a 02:15 job fires at 02:30.
        #expect(try fireStrings("15 2 * * *", "Australia/Lord_Howe", after: "2026-10-03T12:00:00+10:30", count: 2) == [
            "2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00",
        ])
        #expect(try fireStrings("45 1 * * *", "Australia/Lord_Howe", after: "2026-04-04T12:00:00+11:00", count: 2) == [
            "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30",
        ])
        #expect(try fireStrings("*/15 1-2 * * *", "Australia/Lord_Howe", after: "2026-04-05T01:20:00+11:00") == [
            "2026-04-05T01:30:00+11:00", "2026-04-05T01:45:00+11:00",
            "2026-04-05T01:30:00+10:30", "2026-04-05T01:45:00+10:30",
        ])
    }

    @Test func sixFieldExpressionsAreNotAdjusted() throws {
        // No Debian fixup with seconds: 01:30 never exists on 29 March, so the next is a year on.
        #expect(try fireStrings("*/20 30 1 29 3 *", "Europe/London", after: "2026-03-29T00:59:00+00:00", count: 2) == [
            "2027-03-29T01:30:00+01:00", "2027-03-29T01:30:20+01:00",
        ])
    }

    @Test func santiagoMidnightThatDoesNotExist() throws {
        #expect(try fireStrings("0 0 * * *", "America/Santiago", after: "2026-09-05T12:00:00-04:00", count: 2) == [
            "2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00",
        ])
    }

    /// The time limit guards against a hang, not for speed.
    @Test(.timeLimit(.minutes(1))) func whereCronsimWouldLoopForeverHeraldStillAnswers() throws {
        // cronsim 2.8 never returns here: rolling back to :00 lands in the first pass of the
        // repeated hour, again and again. Herald falls back to scanning real time.
        #expect(try fireStrings("* 47 3,20-23 * * *", "Pacific/Chatham", after: "2022-04-03T03:16:57+13:45", count: 2) == [
            "2022-04-03T03:47:00+12:45", "2022-04-03T03:47:01+12:45",
        ])
    }
}
