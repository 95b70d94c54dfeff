import Foundation
@testable import HeraldCore
import Logging
import Scheduling
import Store
import Testing

@Suite struct SchedulerSimulationTests {
    let london = TimeZone(identifier: "Europe/London")!

    func localHour(_ date: Date, _ zone: TimeZone) -> (weekday: Int, day: Int, hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.weekday, .day, .hour, .minute], from: date)
        return (c.weekday!, c.day!, c.hour!, c.minute!)
    }

    @Test func weeklyAndMonthlyJobsAcrossBothLondonTransitionsForAYear() async throws {
        let weekly = try Jobs.make("weekly", "0 9 * * MON")
        let monthly = try Jobs.make("monthly", "0 9 1 * *")
        let harness = try SchedulerHarness(jobs: [weekly, monthly], start: t("2026-01-01T00:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"))
        let loop = await harness.start()
        try await harness.simulate(until: t("2027-01-01T00:00:00Z"))
        await harness.stop(loop)

        let weeklyTimes = harness.work.calls.filter { $0.job == "weekly" }.map(\.logicalTime)
        #expect(weeklyTimes.count == 52)  // Mondays of 2026
        for time in weeklyTimes {
            let local = localHour(time, london)
            #expect(local.weekday == 2 && local.hour == 9 && local.minute == 0)
        }
        // 09:00 local is 09:00Z in winter and 08:00Z in summer, either side of both transitions.
        #expect(weeklyTimes.contains(t("2026-03-23T09:00:00Z")))
        #expect(weeklyTimes.contains(t("2026-03-30T08:00:00Z")))
        #expect(weeklyTimes.contains(t("2026-10-19T08:00:00Z")))
        #expect(weeklyTimes.contains(t("2026-10-26T09:00:00Z")))
        let monthlyTimes = harness.work.calls.filter { $0.job == "monthly" }.map(\.logicalTime)
        #expect(monthlyTimes.count == 12)
        #expect(monthlyTimes.allSatisfy { localHour($0, london).day == 1 && localHour($0, london).hour == 9 })
        // Each run was told the previous successful run's logical time.
        let calls = harness.work.calls.filter { $0.job == "weekly" }
        #expect(calls[0].previousSuccessfulRun == nil)
        #expect(calls[1].previousSuccessfulRun == calls[0].logicalTime)
        let runs = try await harness.runs("weekly")
        #expect(runs.count == 52 && runs.allSatisfy { $0.state == .succeeded && $0.trigger == .schedule })
    }

    @Test func fixedTimeSkippedBySpringForwardFiresOnceAndRepeatedHourOnce() async throws {
        let job = try Jobs.make("night", "30 1 * * *")
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-03-28T00:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"))
        let loop = await harness.start()
        try await harness.simulate(until: t("2026-03-31T00:00:00Z"))
        try await harness.simulate(until: t("2026-10-24T12:00:00Z"))
        try await harness.simulate(until: t("2026-10-27T00:00:00Z"))
        await harness.stop(loop)
        let times = harness.work.calls.map(\.logicalTime)
        // 29 March: 01:30 does not exist; the job fires once at the transition (02:00 BST = 01:00Z).
        #expect(times.contains(t("2026-03-29T01:00:00Z")))
        #expect(times.filter { $0 >= t("2026-03-29T00:00:00Z") && $0 < t("2026-03-30T00:00:00Z") }.count == 1)
        // 25 October: 01:30 happens twice; the job fires once.
        #expect(times.filter { $0 >= t("2026-10-25T00:00:00Z") && $0 < t("2026-10-26T00:00:00Z") }.count == 1)
        #expect(Set(times).count == times.count)
    }

    /// Runs a daily job for a week, stops for three days, and restarts on the same store.
    func downtime(_ policy: CatchUpPolicy, window: TimeInterval) async throws -> (before: [Date], after: [RecordingWork.Call], runs: [Run]) {
        let job = try Jobs.make("daily", "0 9 * * *", catchUp: policy, window: window)
        let path = try temporaryDirectory().appendingPathComponent("state.sqlite")
        let first = try SchedulerHarness(jobs: [job], start: t("2026-06-01T00:00:00Z"), storePath: path)
        let loop = await first.start()
        try await first.simulate(until: t("2026-06-07T12:00:00Z"))
        await first.stop(loop)
        // Down from 7 June 12:00 to 10 June 12:00 (BST): 8, 9 and 10 June 09:00 are missed.
        let second = try SchedulerHarness(jobs: [job], start: t("2026-06-10T11:00:00Z"), storePath: path)
        let loop2 = await second.start()
        await second.stop(loop2)
        let store = try SQLiteStore(path: path.path)
        defer { try? store.close() }
        let runs = try await store.recentRuns(job: "daily", limit: 100).sorted { $0.logicalTime < $1.logicalTime }
        return (first.work.calls.map(\.logicalTime), second.work.calls, runs)
    }

    @Test func threeDaysDownUnderSkip() async throws {
        let (before, after, runs) = try await downtime(.skip, window: 7 * 86400)
        #expect(before.count == 7)
        #expect(after.isEmpty)
        #expect(runs.count == 7)
    }

    @Test func threeDaysDownUnderLatest() async throws {
        let (_, after, runs) = try await downtime(.latest, window: 86400)
        #expect(after.map(\.logicalTime) == [t("2026-06-10T08:00:00Z")])
        // The plugin gets the logical time it should have run at, and the last successful run before it.
        #expect(after.first?.previousSuccessfulRun == t("2026-06-07T08:00:00Z"))
        #expect(runs.last?.trigger == .catchUp)
    }

    @Test func threeDaysDownUnderLatestOutsideTheWindowRunsNothing() async throws {
        let (_, after, _) = try await downtime(.latest, window: 3600)
        #expect(after.isEmpty)
    }

    @Test func threeDaysDownUnderAll() async throws {
        let (_, after, runs) = try await downtime(.all, window: 7 * 86400)
        #expect(after.map(\.logicalTime) == [t("2026-06-08T08:00:00Z"), t("2026-06-09T08:00:00Z"), t("2026-06-10T08:00:00Z")])
        #expect(runs.count == 10)
        #expect(runs.suffix(3).allSatisfy { $0.trigger == .catchUp && $0.state == .succeeded })
    }

    @Test func wallClockJumpBackwardsDoesNotFireTwice() async throws {
        let job = try Jobs.make("weekly", "0 9 * * MON")
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-05T08:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"))
        let loop = await harness.start()
        try await harness.simulate(until: t("2026-01-05T10:00:00Z"))
        #expect(harness.work.calls.map(\.logicalTime) == [t("2026-01-05T09:00:00Z")])
        // An NTP step back to before the fire: the scheduler re-plans and waits for next Monday.
        harness.clock.set(to: t("2026-01-05T08:30:00Z"))
        let next = try await harness.clock.nextSleeperDeadline()
        #expect(next == t("2026-01-12T09:00:00Z"))
        try await harness.simulate(until: t("2026-01-12T10:00:00Z"))
        await harness.stop(loop)
        #expect(harness.work.calls.map(\.logicalTime) == [t("2026-01-05T09:00:00Z"), t("2026-01-12T09:00:00Z")])
    }

    @Test func wallClockJumpForwardFollowsTheCatchUpPolicy() async throws {
        let job = try Jobs.make("daily", "0 9 * * *", zone: "UTC", catchUp: .latest, window: 86400)
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-01T08:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"))
        let loop = await harness.start()
        _ = try await harness.clock.nextSleeperDeadline()
        harness.clock.set(to: t("2026-01-04T10:00:00Z"))
        _ = try await harness.clock.nextSleeperDeadline()
        await harness.executor.waitUntilIdle()
        await harness.stop(loop)
        #expect(harness.work.calls.map(\.logicalTime) == [t("2026-01-04T09:00:00Z")])
    }

    @Test func aJobNeverOverlapsItselfAndSkipsAreRecorded() async throws {
        let job = try Jobs.make("slow", "* * * * *", zone: "UTC", overlap: .skip)
        let work = RecordingWork(holdRuns: true)
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-01T00:00:30Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"), work: work)
        let loop = await harness.start()
        for minute in 1...3 {
            let deadline = try await harness.clock.nextSleeperDeadline()
            #expect(deadline == t("2026-01-01T00:0\(minute):00Z"))
            harness.clock.advance(to: deadline)
        }
        _ = try await harness.clock.nextSleeperDeadline()
        work.releaseAll()
        await harness.executor.waitUntilIdle()
        await harness.stop(loop)
        #expect(work.calls.count == 1)
        #expect(work.maxInFlight == 1)
        let runs = try await harness.runs("slow")
        #expect(runs.map(\.state) == [.succeeded, .skipped, .skipped])
        #expect(runs[1].detail?.contains("overlap") == true)
    }

    @Test func overlapQueueRunsTheFireAfterTheRunningOne() async throws {
        let job = try Jobs.make("slow", "* * * * *", zone: "UTC", overlap: .queue)
        let work = RecordingWork(holdRuns: true)
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-01T00:00:30Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"), work: work)
        let loop = await harness.start()
        for _ in 1...2 { harness.clock.advance(to: try await harness.clock.nextSleeperDeadline()) }
        _ = try await harness.clock.nextSleeperDeadline()
        while work.calls.count < 2 {
            work.releaseAll()
            try await Task.sleep(for: .milliseconds(1))
        }
        work.releaseAll()
        await harness.executor.waitUntilIdle()
        await harness.stop(loop)
        #expect(work.calls.map(\.logicalTime) == [t("2026-01-01T00:01:00Z"), t("2026-01-01T00:02:00Z")])
        #expect(work.maxInFlight == 1)
    }

    @Test func globalLimitBoundsConcurrentRuns() async throws {
        let jobs = try (1...5).map { try Jobs.make("job\($0)", "0 9 * * *", zone: "UTC") }
        let work = RecordingWork(holdRuns: true)
        let harness = try SchedulerHarness(jobs: jobs, start: t("2026-01-01T08:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"),
                                           work: work, maxConcurrentRuns: 2)
        let loop = await harness.start()
        harness.clock.advance(to: try await harness.clock.nextSleeperDeadline())
        _ = try await harness.clock.nextSleeperDeadline()
        while work.waiting < 2 { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: .milliseconds(20))
        #expect(work.waiting == 2)
        while work.calls.count < 5 {
            #expect(work.maxInFlight <= 2)
            work.releaseAll()
            try await Task.sleep(for: .milliseconds(2))
        }
        work.releaseAll()
        await harness.executor.waitUntilIdle()
        await harness.stop(loop)
        #expect(work.maxInFlight == 2)
        #expect(Set(work.calls.map(\.job)).count == 5)
    }

    @Test func runAbandonedByADeadOwnerIsResumedAndCompletedOnce() async throws {
        let job = try Jobs.make("weekly", "0 9 * * MON")
        let path = try temporaryDirectory().appendingPathComponent("state.sqlite")
        let dead = OwnerID(hostname: ProcessInfo.processInfo.hostName, pid: 999_999, startNanos: 1)
        do {
            let store = try SQLiteStore(path: path.path)
            let claim = try await store.claimRun(job: "weekly", logicalTime: t("2026-01-05T09:00:00Z"), trigger: .schedule,
                                                 owner: dead, at: t("2026-01-05T09:00:00Z"))
            #expect(claim.isClaimed)
            try store.close()
        }
        // The daemon that claimed it was killed mid-run; a new one starts an hour later.
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-05T10:00:00Z"), storePath: path)
        try await Recovery(store: harness.store, owner: harness.owner, executor: harness.executor, logger: .init(label: "t"))
            .resumeUnfinished(jobs: [job], at: harness.clock.now())
        await harness.executor.waitUntilIdle()
        let loop = await harness.start()
        await harness.stop(loop)
        #expect(harness.work.calls.map(\.logicalTime) == [t("2026-01-05T09:00:00Z")])
        let store = try SQLiteStore(path: path.path)
        defer { try? store.close() }
        let run = try #require(try await store.run(job: "weekly", logicalTime: t("2026-01-05T09:00:00Z")))
        #expect(run.state == .succeeded)
        #expect(run.attempts == 2)
        #expect(try await store.recentRuns(job: "weekly", limit: 10).count == 1)
    }

    @Test func reloadKeepsCursorsSoChangedSchedulesDoNotFireTwice() async throws {
        let job = try Jobs.make("daily", "0 9 * * *", zone: "UTC")
        let harness = try SchedulerHarness(jobs: [job], start: t("2026-01-01T08:00:00Z"),
                                           storePath: try temporaryDirectory().appendingPathComponent("state.sqlite"))
        let loop = await harness.start()
        try await harness.simulate(until: t("2026-01-01T09:30:00Z"))
        // Reload at 09:30 with the job moved to 09:15 and a new job at 10:00.
        await harness.scheduler.update(jobs: [try Jobs.make("daily", "15 9 * * *", zone: "UTC"),
                                              try Jobs.make("new", "0 10 * * *", zone: "UTC")])
        try await harness.simulate(until: t("2026-01-02T10:30:00Z"))
        await harness.stop(loop)
        let daily = harness.work.calls.filter { $0.job == "daily" }.map(\.logicalTime)
        #expect(daily == [t("2026-01-01T09:00:00Z"), t("2026-01-02T09:15:00Z")])
        #expect(harness.work.calls.filter { $0.job == "new" }.map(\.logicalTime)
            == [t("2026-01-01T10:00:00Z"), t("2026-01-02T10:00:00Z")])
    }

    @Test func shutdownPastTheGraceRecordsTheRunInterruptedAndTheNextStartFinishesIt() async throws {
        let job = try Jobs.make("slow", "0 9 * * *", zone: "UTC")
        let path = try temporaryDirectory().appendingPathComponent("state.sqlite")
        let work = RecordingWork(holdRuns: true)
        let first = try SchedulerHarness(jobs: [job], start: t("2026-01-01T08:00:00Z"), storePath: path, work: work)
        let loop = await first.start()
        first.clock.advance(to: try await first.clock.nextSleeperDeadline())
        while work.waiting < 1 { try await Task.sleep(for: .milliseconds(1)) }
        await first.scheduler.stop()
        await loop.value
        let interrupted = await first.executor.drain(grace: .milliseconds(50))
        #expect(interrupted.map(\.logicalTime) == [t("2026-01-01T09:00:00Z")])
        #expect(try await first.store.run(job: "slow", logicalTime: t("2026-01-01T09:00:00Z"))?.state == .interrupted)

        let second = try SchedulerHarness(jobs: [job], start: t("2026-01-01T09:05:00Z"), storePath: path)
        try await Recovery(store: second.store, owner: second.owner, executor: second.executor, logger: .init(label: "t"))
            .resumeUnfinished(jobs: [job], at: second.clock.now())
        await second.executor.waitUntilIdle()
        #expect(second.work.calls.map(\.logicalTime) == [t("2026-01-01T09:00:00Z")])
        let run = try #require(try await second.store.run(job: "slow", logicalTime: t("2026-01-01T09:00:00Z")))
        #expect(run.state == .succeeded)
        work.releaseAll()
    }
}
