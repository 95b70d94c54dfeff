import Foundation

/// A Python receiver from `Tests/Receivers` running on loopback: started with its arguments, its port read from
/// the `PORT <n>` line it prints first, and stopped (stdin closed, terminated, reaped) when this goes away.
public final class ReceiverScript: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let script: ScriptProcess

    /// `Tests/Receivers/<name>`.
    public static func path(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Receivers/\(name)")
    }

    /// Starts `python3 script arguments…` and waits for its port without holding a thread (a receiver that imports
    /// large libraries takes a second or more to start, and tests run in parallel on a small pool); `setup` says what
    /// to install when it exits first.
    public init(_ script: URL, _ arguments: [String], setup: String) async throws {
        let started = try ScriptProcess(python: script.path, arguments)
        self.script = started
        guard let line = await started.output.next(timeout: .seconds(120)) else {
            started.stop()
            throw ReceiverError("\(script.lastPathComponent) exited (or took over 2 minutes) before printing its port; \(setup)")
        }
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else { throw ReceiverError("unexpected first line: \(text)") }
        self.port = port
    }

    deinit { script.stop() }

    /// A receiver that could not start.
    public struct ReceiverError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}
