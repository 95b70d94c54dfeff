import Foundation
import LoopbackSupport
import Synchronization

/// A fixture server from ``fixtureServerScript`` running as a `python3` child process on loopback.
/// The process is killed when the value is released (or on ``stop()``), so a failing test cannot
/// leave it behind.
final class TestServer {
    let port: Int
    private let process: Process
    private let output: LineBuffer
    /// Held open for the child's lifetime: the script exits when it reads EOF here, so servers do not
    /// outlive a crashed or killed test process.
    private let stdin: Pipe

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
        let (process, output, stdin) = (script.process, script.output, script.stdin)
        guard let first = await output.next(timeout: .seconds(10)), first.hasPrefix("PORT "),
              let port = Int(first.dropFirst(5))
        else {
            process.terminate()
            throw TestServerError(message: "fixture server '\(mode)' did not announce a port")
        }
        return TestServer(port: port, process: process, output: output, stdin: stdin)
    }

    private init(port: Int, process: Process, output: LineBuffer, stdin: Pipe) {
        self.port = port
        self.process = process
        self.output = output
        self.stdin = stdin
    }

    deinit { stop() }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String = "/", scheme: String = "http") -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }

    /// The next line the server printed after its port, or `nil` after `timeout` (a safety net
    /// against hanging tests, not a synchronisation device).
    func nextLine(timeout: Duration = .seconds(5)) async -> String? {
        await output.next(timeout: timeout)
    }

    func stop() {
        guard process.isRunning else { return }
        // SIGKILL: it cannot be blocked or caught, so stopping never hangs.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

