import Channels
import Foundation
import Scheduling
import Store
import Testing

/// The real `herald run` process: signals, reload, and a kill -9 in the middle of a run.
@Suite(.serialized) struct DaemonProcessTests {
    @Test func killedMidRunThenRestartedCompletesThatLogicalTimeOnce() async throws {
        // Runs every 20 seconds whose plugin waits for a file the test creates: the kill lands inside run 1 however
        // slowly a machine loaded by the whole suite gets to it.
        let gate = FileManager.default.temporaryDirectory.appendingPathComponent("herald-gate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: gate) }
        let home = try TestHome(jobs: ["slow": """
            plugin: healthy
            schedule: "*/20 * * * * *"
            options: { waitForFile: "\(gate)", echo: slow }
            destinations: [outbox]
            catch_up: skip
            """])
        let first = try HeraldProcess(["run", "--config", home.config], in: home.url)
        try await first.waitFor("run 1 started")
        try await first.signal(SIGKILL)

        let store = try SQLiteStore(path: home.statePath)
        defer { try? store.close() }
        let abandoned = try #require(try await store.run(Run.ID(rawValue: 1)))
        #expect(abandoned.state == .running)

        let second = try HeraldProcess(["run", "--config", home.config], in: home.url)
        try await second.waitFor("resuming run 1")
        #expect(FileManager.default.createFile(atPath: gate, contents: Data()))
        try await second.waitFor("run 1 succeeded")
        let status = try await second.signal(SIGTERM)
        #expect(status == 0)
        #expect(second.text.contains("stopped"))

        let run = try #require(try await store.run(Run.ID(rawValue: 1)))
        #expect(run.state == .succeeded)
        #expect(run.attempts == 2)
        #expect(try await store.recentRuns(job: "slow", limit: 100).filter { $0.logicalTime == run.logicalTime }.count == 1)
        // Exactly one message for that logical time reached the outbox.
        let name = FileChannel.relativePath(job: "slow", logicalTime: run.logicalTime, destination: "outbox")
        #expect(home.outbox("slow").filter { "slow/" + $0 == name }.count == 1)
    }

    @Test func sighupRejectsAnInvalidConfigKeepsRunningAndAppliesAValidOne() async throws {
        let home = try TestHome(jobs: ["tick": """
            plugin: healthy
            schedule: "@yearly"
            destinations: [outbox]
            """])
        let daemon = try HeraldProcess(["run", "--config", home.config], in: home.url)
        try await daemon.waitFor("ready in")
        #expect(daemon.text.contains("job tick: healthy at \"@yearly\" UTC; next"))

        try home.write("plugin: healthy\nschedule: \"61 * * * *\"\ndestinations: [outbox, nowhere]\n", to: "schedules/tick.yaml")
        try await daemon.signal(SIGHUP)
        try await daemon.waitFor("reload rejected")
        #expect(daemon.text.contains("schedules/tick.yaml:2:12: error: invalid schedule: minute"))
        #expect(daemon.text.contains("schedules/tick.yaml:3:24: error: unknown destination 'nowhere'"))
        #expect(daemon.process.isRunning)

        try home.write("plugin: healthy\nschedule: \"0 9 * * MON\"\ndestinations: [outbox]\n", to: "schedules/tick.yaml")
        try await daemon.signal(SIGHUP)
        try await daemon.waitFor("reloaded: 1 jobs")
        #expect(daemon.text.contains("job tick: healthy at \"0 9 * * MON\" UTC; next"))
        #expect(try await daemon.signal(SIGTERM) == 0)
    }

    @Test func sigtermLetsARunningJobFinish() async throws {
        let home = try TestHome(jobs: ["slow": """
            plugin: healthy
            schedule: "*/3 * * * * *"
            options: { sleepMilliseconds: 1500 }
            destinations: [outbox]
            """])
        let daemon = try HeraldProcess(["run", "--config", home.config], in: home.url)
        try await daemon.waitFor("run 1 started")
        #expect(try await daemon.signal(SIGTERM) == 0)
        #expect(daemon.text.contains("run 1 succeeded"))
        let store = try SQLiteStore(path: home.statePath)
        defer { try? store.close() }
        #expect(try await store.run(Run.ID(rawValue: 1))?.state == .succeeded)
    }
}
