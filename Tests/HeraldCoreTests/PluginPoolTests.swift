import Foundation
import HeraldCore
import Logging
import PluginHost
import ReportKit
import Testing

/// The crash-isolation guarantees of the plugin pool, against the real `herald-test-plugins`
/// child processes. Serialized: each test times deadlines on a 2-core machine.
@Suite(.serialized)
struct PluginPoolTests {
    // MARK: - The four failures, each beside healthy traffic

    @Test func trapFailsOnlyItsRunWithSignalAndBacktrace() async throws {
        let error = try await misbehave("trap") { error, recorder in
            #expect(error.code == .crashed)
            #expect(["SIGILL", "SIGTRAP"].contains(error.signal ?? ""), "signal: \(error.signal ?? "none")")
            #expect(error.message.contains("plugin 'trap' crashed"))
            #expect(error.detail.contains("Fatal error: Index out of range"))
            #expect(error.detail.contains("Program crashed"))
            #expect(error.detail.contains("Trap.report"), "the backtrace names the plugin's frame")
            // The backtrace reached the log too: line by line from stderr, and in the run's error entry.
            #expect(recorder.entries.contains { $0.message.contains("Trap.report") && $0.metadata["plugin"] == "trap" })
            #expect(recorder.entries.contains { $0.level == .error && ($0.metadata["detail"] ?? "").contains("Trap.report") })
        }
        #expect(error.plugin == "trap")
    }

    @Test func hangTimesOutWithinTheDeadline() async throws {
        let deadline = Duration.seconds(1)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        let error = try await misbehave("hang", deadline: deadline, timing: { elapsed = $0 }) { error, recorder in
            #expect(error.code == .timedOut)
            #expect(error.message.contains("did not finish within 1.0 seconds"))
            #expect(error.detail.contains("hang: going to sleep forever"), "stderr tail: \(error.detail)")
            #expect(recorder.entries.contains { $0.message.contains("going to sleep forever") && $0.metadata["plugin"] == "hang" })
        }
        #expect(error.plugin == "hang")
        #expect(elapsed >= deadline)
        #expect(elapsed < deadline + .seconds(10), "timed out after \(elapsed)")
        _ = clock
    }

    @Test func garbageIsAProtocolViolationWithTheFirstBytes() async throws {
        let error = try await misbehave("garbage") { error, _ in
            #expect(error.code == .protocolViolation)
            #expect(error.message.contains("not the plugin protocol"))
            #expect(error.detail.contains(#""DEBUG this is not the plugin protocol \u{1}""#), "detail: \(error.detail)")
        }
        #expect(error.plugin == "garbage")
    }

    @Test func exitFailsWithTheStatus() async throws {
        let error = try await misbehave("exit") { error, _ in
            #expect(error.code == .exited)
            #expect(error.exitStatus == 3)
            #expect(error.message.contains("exited with status 3"))
        }
        #expect(error.plugin == "exit")
    }

    /// Runs `plugin` once in a pool of 2 while healthy runs go on back to back, checks the failure
    /// with `check`, and proves the pool respawned: every healthy run succeeded, before, during
    /// and after, and afterwards both children serve (one of them new).
    private func misbehave(
        _ plugin: String, deadline: Duration = .seconds(20), timing: (Duration) -> Void = { _ in },
        check: (PluginRunError, PluginPoolLogRecorder) -> Void
    ) async throws -> PluginRunError {
        let recorder = PluginPoolLogRecorder()
        let pool = PluginPoolFixtures.pool(size: 2, recorder: recorder)
        try await pool.start()
        let traffic = Traffic()
        let healthy = Task { await PluginPoolFixtures.healthyTraffic(on: pool, counting: traffic) }
        try await Task.sleep(for: .milliseconds(100))

        let began = ContinuousClock.now
        let failure: PluginRunError
        do {
            _ = try await pool.report(PluginPoolFixtures.request(plugin), deadline: deadline)
            Issue.record("the \(plugin) run succeeded")
            failure = PluginRunError(code: .unavailable, plugin: "", message: "")
        } catch let error as PluginRunError {
            failure = error
        }
        timing(ContinuousClock.now - began)
        check(failure, recorder)

        // Healthy runs keep going while the slot respawns, and after: wait for the respawn and five more healthy runs
        // (counted, not timed, so a machine busy with the rest of the suite only makes this slower).
        let before = traffic.successes
        let respawned = { recorder.entries(containing: "plugin host respawned").count >= 1 }
        let giveUp = ContinuousClock.now + .seconds(60)
        while traffic.successes < before + 5 || !respawned(), ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(10))
        }
        traffic.stop()
        let failures = await healthy.value
        #expect(failures.isEmpty, "healthy runs failed: \(failures)")
        #expect(traffic.successes >= before + 5, "only \(traffic.successes - before) healthy runs after the failure")
        #expect(recorder.entries(containing: "plugin host respawned").count == 1)

        // Both children serve: two concurrent slow runs need both slots.
        async let first = pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "a", "sleepMilliseconds": 200]))
        async let second = pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "b", "sleepMilliseconds": 200]))
        let summaries = try await [first.summary, second.summary]
        #expect(summaries == ["a", "b"])
        // Healthy's stderr reached the log with the plugin's name (it is read apart from the reply, so allow it a moment).
        let forwarded = { recorder.entries.contains { $0.message.contains("healthy: reporting for traffic-") && $0.metadata["plugin"] == "healthy" } }
        for _ in 0..<500 where !forwarded() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(forwarded())
        await pool.shutdown()
        return failure
    }

    // MARK: - Clean failures keep the child

    @Test func badOptionsAreACleanErrorWithThePath() async throws {
        let recorder = PluginPoolLogRecorder()
        let pool = PluginPoolFixtures.pool(size: 1, recorder: recorder)
        try await pool.start()
        do {
            _ = try await pool.report(PluginPoolFixtures.request("healthy", options: ["sleepMilliseconds": "soon"]))
            Issue.record("bad options were accepted")
        } catch let error as PluginRunError {
            #expect(error.code == .badOptions)
            #expect(error.optionsPath == ["sleepMilliseconds"])
            #expect(error.message.contains("options.sleepMilliseconds"), "message: \(error.message)")
        }
        await #expect(throws: PluginRunError.self) {
            try await pool.validate(plugin: "healthy", options: ["echo": ["not", "a", "string"]])
        }
        try await pool.validate(plugin: "healthy", options: ["echo": "fine"])
        try await pool.validate(plugin: "hang", options: ["anything": 1])

        do {
            _ = try await pool.report(PluginPoolFixtures.request("healthy", options: ["fail": "no data for March"]))
            Issue.record("a throwing plugin succeeded")
        } catch let error as PluginRunError {
            #expect(error.code == .pluginFailed)
            #expect(error.pluginCode == "asked-to-fail")
            #expect(error.message.contains("no data for March"))
        }
        // Still the first child: clean errors do not cost a respawn.
        let digest = try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "still here"]))
        #expect(digest.summary == "still here")
        #expect(recorder.entries(containing: "respawned").isEmpty)
        await pool.shutdown()
    }

    @Test func unknownPluginIsRefused() async throws {
        let pool = PluginPoolFixtures.pool(size: 1, recorder: PluginPoolLogRecorder())
        try await pool.start()
        for attempt in [{ try await pool.report(PluginPoolFixtures.request("no-such-plugin")) as Any },
                        { try await pool.validate(plugin: "no-such-plugin", options: [:]) as Any }] {
            do {
                _ = try await attempt()
                Issue.record("an unknown plugin ran")
            } catch let error as PluginRunError {
                #expect(error.code == .unknownPlugin)
                #expect(error.plugin == "no-such-plugin")
                #expect(error.message.contains("healthy, trap, hang, garbage, exit"))
            }
        }
        await pool.shutdown()
    }

    // MARK: - The healthy path

    @Test func helloListsThePluginsAndARunEchoesItsInput() async throws {
        let pool = PluginPoolFixtures.pool(size: 1, recorder: PluginPoolLogRecorder())
        try await pool.start()
        let plugins = try await pool.plugins()
        #expect(plugins.map(\.name) == ["healthy", "trap", "hang", "garbage", "exit"])
        #expect(plugins.first?.version == "1.0.0")

        var request = PluginPoolFixtures.request("healthy", job: "weekly", options: ["echo": "hello"])
        request.previousSuccessfulRun = Date(timeIntervalSince1970: 1_361_523_600)
        let digest = try await pool.report(request)
        #expect(digest.title == "healthy weekly")
        #expect(digest.summary == "hello")
        #expect(digest.sections[0].items.map(\.text) == [
            "organisations 0", "awards 2", "suppliers 0", "milestones 1", "statistics 0",
        ])
        #expect(digest.sections[1].items.map(\.text) == [
            "zone Europe/London", "logical 1362128400.0", "previous 1361523600.0",
        ])
        await pool.shutdown()
    }

    @Test func runsWaitForAFreeChild() async throws {
        let pool = PluginPoolFixtures.pool(size: 1, recorder: PluginPoolLogRecorder())
        try await pool.start()
        let began = ContinuousClock.now
        let digests = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 1...3 {
                group.addTask {
                    try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "\(n)", "sleepMilliseconds": 100])).summary
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(digests.sorted() == ["1", "2", "3"])
        #expect(ContinuousClock.now - began >= .milliseconds(300), "one child runs them one after another")
        await pool.shutdown()
    }

    @Test func repeatedCrashesBackOffAndTheSlotRecovers() async throws {
        let recorder = PluginPoolLogRecorder()
        let pool = PluginPoolFixtures.pool(size: 1, recorder: recorder)
        try await pool.start()
        for _ in 1...3 {
            await #expect(throws: PluginRunError.self) {
                try await pool.report(PluginPoolFixtures.request("trap", options: ["mode": "fatal"]))
            }
        }
        let digest = try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "recovered"]))
        #expect(digest.summary == "recovered")
        #expect(recorder.entries(containing: "plugin host respawned").count == 3)
        #expect(recorder.entries.contains { $0.message.contains("trap plugin asked to fail") })
        await pool.shutdown()
    }

    @Test func aCrashUnderWayAtTheDeadlineGetsTimeForItsBacktrace() async throws {
        let configuration = PluginPoolConfiguration(
            executable: PluginPoolFixtures.testHost, size: 1, respawnBackoffBase: .milliseconds(10),
            backtraceGrace: .milliseconds(1500))
        let pool = PluginPool(configuration: configuration, logger: PluginPoolLogRecorder().logger(label: "grace"))
        try await pool.start()
        let clock = ContinuousClock()
        // The crash banner comes before the deadline, the process dies 300 ms later: still a crash.
        var began = clock.now
        do {
            _ = try await pool.report(PluginPoolFixtures.request("trap", options: ["mode": "slow"]), deadline: .milliseconds(100))
            Issue.record("the slow trap succeeded")
        } catch let error as PluginRunError {
            #expect(error.code == .crashed, "\(error)")
            #expect(error.detail.contains("trap plugin crashed slowly"))
            #expect(clock.now - began >= .milliseconds(300))
        }
        // A banner with no death after it: the wait is bounded by the grace, then it is a timeout.
        began = clock.now
        do {
            _ = try await pool.report(PluginPoolFixtures.request("trap", options: ["mode": "banner"]), deadline: .milliseconds(100))
            Issue.record("the banner-and-hang trap succeeded")
        } catch let error as PluginRunError {
            #expect(error.code == .timedOut, "\(error)")
            let elapsed = clock.now - began
            #expect(elapsed >= .milliseconds(1600) && elapsed < .seconds(12), "elapsed \(elapsed)")
        }
        #expect(try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "ok"])).summary == "ok")
        await pool.shutdown()
    }

    @Test func aChildKilledBetweenRunsCostsNoRun() async throws {
        let recorder = PluginPoolLogRecorder()
        let pool = PluginPoolFixtures.pool(size: 1, recorder: recorder)
        try await pool.start()
        let pid = try #require(recorder.entries(containing: "plugin pool started").first?.metadata["children"].flatMap { Int32($0) })
        kill(pid, SIGKILL)
        // Once the pool has reaped it (the pid is gone), a run either finds the slot already
        // refilled or finds the child dead before its request is written and moves to the new one.
        // (A run sent in the microseconds between the signal and the death cannot be told apart
        // from a plugin killed while running; that window is not tested.)
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(5)
        while kill(pid, 0) == 0, clock.now < giveUp { try await Task.sleep(for: .milliseconds(1)) }
        let digest = try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "after kill"]))
        #expect(digest.summary == "after kill")
        #expect(recorder.entries(containing: "plugin host respawned").count == 1)
        await pool.shutdown()
    }

    @Test func cancellingARunKillsItsChildAndThePoolCarriesOn() async throws {
        let pool = PluginPoolFixtures.pool(size: 1, recorder: PluginPoolLogRecorder())
        try await pool.start()
        let run = Task { try await pool.report(PluginPoolFixtures.request("hang"), deadline: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        let digest = try await pool.report(PluginPoolFixtures.request("healthy", options: ["echo": "after cancel"]))
        #expect(digest.summary == "after cancel")
        await pool.shutdown()
    }

    @Test func shutdownStopsChildrenAndRefusesRuns() async throws {
        let pool = PluginPoolFixtures.pool(size: 2, recorder: PluginPoolLogRecorder())
        try await pool.start()
        _ = try await pool.report(PluginPoolFixtures.request("healthy"))
        await pool.shutdown()
        do {
            _ = try await pool.report(PluginPoolFixtures.request("healthy"))
            Issue.record("a run succeeded after shutdown")
        } catch let error as PluginRunError {
            #expect(error.code == .unavailable)
        }
    }

    @Test func childrenDoNotInheritHeraldsOtherDescriptors() async throws {
        // A pipe as Foundation's `Pipe` makes one: not close-on-exec.
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let pool = PluginPoolFixtures.pool(size: 1, recorder: PluginPoolLogRecorder())
        try await pool.start()
        close(fds[1])
        // If the plugin host had inherited the write end, the reader would never see end of file
        // (this kept a test's sqlite3 child waiting forever before children closed descriptors).
        var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, 2000)
        #expect(ready == 1, "end of file did not arrive")
        var byte: UInt8 = 0
        if ready == 1 { #expect(read(fds[0], &byte, 1) == 0) }
        close(fds[0])
        await pool.shutdown()
    }

    @Test func aMissingExecutableFailsStartClearly() async throws {
        let missing = URL(fileURLWithPath: "/nonexistent/herald-plugins")
        let pool = PluginPoolFixtures.pool(size: 1, executable: missing, recorder: PluginPoolLogRecorder())
        do {
            try await pool.start()
            Issue.record("started without an executable")
        } catch let error as PluginRunError {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("/nonexistent/herald-plugins"))
        }
    }
}
