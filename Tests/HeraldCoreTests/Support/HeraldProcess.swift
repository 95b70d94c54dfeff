import Foundation
import LoopbackSupport
import Synchronization

/// A `herald` process started by a test, with its output captured as it comes.
final class HeraldProcess: Sendable {
    let process: Process
    private let output = OutputBuffer()

    /// Output collected from the pipe's reader thread.
    private final class OutputBuffer: Sendable {
        let data = Mutex(Data())
        /// Set once the pipe reached end of file: every process writing to it has exited.
        let ended = Mutex(false)
    }

    /// Starts `herald ARGS` in `directory`.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = BuiltProducts.url("herald")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        try process.run()
        PipeReader.start(pipe, received: { data in output.data.withLock { $0.append(data) } },
                         ended: { output.ended.withLock { $0 = true } })
    }

    /// Everything printed so far (stdout and stderr together).
    var text: String { output.data.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits until the output contains `needle`; throws after `timeout`.
    func waitFor(_ needle: String, timeout: Duration = .seconds(30)) async throws {
        let start = ContinuousClock.now
        while !text.contains(needle) {
            if ContinuousClock.now - start > timeout || (!process.isRunning && !text.contains(needle)) {
                throw Timeout(waitingFor: needle, output: text)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends `signal` and, unless it is SIGHUP, waits for the process to end; returns its status.
    @discardableResult
    func signal(_ signal: Int32, timeout: Duration = .seconds(30)) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        if signal == SIGHUP { return 0 }
        let start = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - start > timeout { throw Timeout(waitingFor: "exit after signal \(signal)", output: text) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var output: String
        var description: String { "timed out waiting for '\(waitingFor)'; output:\n\(output)" }
    }

    /// Runs `herald ARGS` to completion and returns (status, output).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> (Int32, String) {
        let p = try HeraldProcess(arguments, in: directory, environment: environment)
        while p.process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        // All of its output: a plugin child it left behind may hold the pipe a little longer, so do not wait forever.
        let giveUp = ContinuousClock.now + .seconds(5)
        while !p.output.ended.withLock({ $0 }), ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        return (p.process.terminationStatus, p.text)
    }
}
