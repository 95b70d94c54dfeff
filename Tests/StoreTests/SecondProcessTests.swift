import Foundation
import Testing

@testable import Store

/// A second process on the same database file: the sqlite3 shell, fed statements through a pipe so that the test
/// decides when it commits or dies.
private final class SQLiteShell {
    let process = Process()
    private let input = Pipe()

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        send(".timeout 5000")
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Begins a transaction that inserts a run of job `j` at t0 owned by `elsewhere:1:1`, and returns once the
    /// shell holds the write lock.
    func holdLockWithUncommittedRun(signal: String) async throws {
        let millis = StoredTime.millis(Fixture.t0)
        send("BEGIN IMMEDIATE;")
        send("""
            INSERT INTO run (job, logical_time, state, trigger, attempts, owner, heartbeat_at, started_at) \
            VALUES ('j', \(millis), 'running', 'schedule', 1, 'elsewhere:1:1', \(millis), \(millis));
            """)
        send(".shell touch '\(signal)'")
        let deadline = Date() + 10
        while !FileManager.default.fileExists(atPath: signal) {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func finish() throws {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
struct SecondProcessTests {
    @Test func aClaimWaitsForAnotherProcessHoldingTheLockThenSeesItsRun() async throws {
        try await withStore { store, path in
            let shell = try SQLiteShell(path: path)
            try await shell.holdLockWithUncommittedRun(signal: path + ".locked")
            let started = Date()
            async let claim = store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            )
            try await Task.sleep(for: .milliseconds(400))
            shell.send("COMMIT;")
            let result = try await claim
            let waited = Date().timeIntervalSince(started)
            try shell.finish()

            #expect(shell.process.terminationStatus == 0)
            #expect(!result.isClaimed)
            #expect(result.run.owner == OwnerID(rawValue: "elsewhere:1:1"))
            #expect(waited >= 0.4)
        }
    }

    @Test func aProcessKilledInsideItsTransactionLeavesNoRunBehind() async throws {
        try await withStore { store, path in
            let shell = try SQLiteShell(path: path)
            try await shell.holdLockWithUncommittedRun(signal: path + ".locked")
            async let claim = store.claimRun(
                job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
            )
            try await Task.sleep(for: .milliseconds(200))
            kill(shell.process.processIdentifier, SIGKILL)
            let result = try await claim
            try shell.finish()

            #expect(shell.process.terminationReason == .uncaughtSignal)
            #expect(result.isClaimed)
            #expect(result.run.owner == Fixture.alice)
        }
    }

    @Test func aLockHeldBeyondTheBusyTimeoutFailsAsBusy() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
            let shell = try SQLiteShell(path: path)
            try await shell.holdLockWithUncommittedRun(signal: path + ".locked")
            let started = Date()
            let code = await storeErrorCode {
                _ = try await store.claimRun(
                    job: "j", logicalTime: Fixture.t0, trigger: .schedule, owner: Fixture.alice, at: Fixture.t0
                )
            }
            let waited = Date().timeIntervalSince(started)
            shell.send("COMMIT;")
            try shell.finish()

            #expect(code == .busy)
            #expect(waited >= 0.2)
        }
    }
}
