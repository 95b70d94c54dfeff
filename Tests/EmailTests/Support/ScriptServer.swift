import Foundation
import LoopbackSupport
import Synchronization

/// A Python test server from `Tests/EmailTests/Servers/` running as a child process on loopback.
///
/// The script's first line of output is a JSON object with its `port` (and, for TLS, its `ca`); every
/// later line is a JSON report of something it received. The process is killed when the value is
/// released (or on ``stop()``), and the script exits by itself when its standard input closes, so a
/// crashed test never leaves a server behind.
final class ScriptServer {
    let port: Int
    /// The PEM file of the CA that signed the server's certificate, for TLS modes.
    let caPath: String?
    private let script: ScriptProcess

    static let serversDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Servers")

    /// A fresh scratch folder for one server's files (certificates).
    static func scratch() -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("herald-email-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.path
    }

    /// Starts `python3 Servers/<script> arguments…` and waits for its announcement.
    static func start(_ script: String, _ arguments: [String]) async throws -> ScriptServer {
        let child = try ScriptProcess(python: serversDirectory.appendingPathComponent(script).path, arguments)
        guard let first = await child.output.next(timeout: .seconds(60)),
              let object = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any],
              let port = object["port"] as? Int
        else {
            child.stop()
            throw ScriptServerError(message: "\(script) did not announce its port (is aiosmtpd installed? run scripts/install-deps)")
        }
        return ScriptServer(port: port, caPath: object["ca"] as? String, script: child)
    }

    private init(port: Int, caPath: String?, script: ScriptProcess) {
        self.port = port
        self.caPath = caPath
        self.script = script
    }

    deinit {
        stop()
        // The certificates live in a folder of their own (``scratch()``): remove it with the server.
        if let caPath {
            let folder = URL(fileURLWithPath: caPath).deletingLastPathComponent()
            if folder.lastPathComponent.hasPrefix("herald-email-tests-") { try? FileManager.default.removeItem(at: folder) }
        }
    }

    /// The next report as a JSON object, or nil after `timeout` (a safety net against a hanging test,
    /// not a synchronisation device).
    func nextReport(timeout: Duration = .seconds(20)) async -> [String: Any]? {
        guard let line = await script.output.next(timeout: timeout) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    func stop() { script.stop() }
}

struct ScriptServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs `mime_check.py` on `message` and returns its report (decoded fields and `problems`).
func mimeCheck(_ message: Data) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", ScriptServer.serversDirectory.appendingPathComponent("mime_check.py").path]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(message)
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw ScriptServerError(message: "mime_check.py printed no report")
    }
    return object
}
