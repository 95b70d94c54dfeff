import Foundation
import LoopbackSupport
import Synchronization

/// A fixture server from ``fixtureServerScript`` running as a `python3` child process on loopback.
/// The process is killed when the value is released (or on ``stop()``), so a failing test cannot
/// leave it behind.
final class TestServer {
    let port: Int
    /// The script exits when its stdin (held open by this) closes, so servers do not outlive a crashed test.
    private let script: ScriptProcess

    private static let directory: URL = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("curlkit-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }()

    private static let scriptPath: String = {
        let path = directory.appendingPathComponent("servers.py").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(fixtureServerScript.utf8))
        return path
    }()

    /// ``fixtureCertificatePEM`` on disk: the `https` server's certificate chain and the tests' CA bundle.
    static let certificatePath: String = {
        let path = directory.appendingPathComponent("cert.pem").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(fixtureCertificatePEM.utf8))
        return path
    }()

    /// Starts `python3 servers.py mode` and waits for it to announce its port.
    static func start(_ mode: String) async throws -> TestServer {
        let script = try ScriptProcess(python: scriptPath, [mode] + (mode == "https" ? [certificatePath] : []))
        guard let first = await script.output.next(timeout: .seconds(10)), first.hasPrefix("PORT "),
              let port = Int(first.dropFirst(5))
        else {
            script.stop()
            throw TestServerError(message: "fixture server '\(mode)' did not announce a port")
        }
        return TestServer(port: port, script: script)
    }

    private init(port: Int, script: ScriptProcess) {
        self.port = port
        self.script = script
    }

    deinit { stop() }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/", scheme: String = "http") -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// The next line the server printed after its port, or `nil` after `timeout` (a safety net
    /// against hanging tests, not a synchronisation device).
    func nextLine(timeout: Duration = .seconds(5)) async -> String? {
        await script.output.next(timeout: timeout)
    }

    func stop() { script.stop() }
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

