import Foundation
import ReportKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child side of the plugin protocol: the whole `main` of a plugin-host executable.
///
/// ```swift
/// // Sources/herald-plugins/main.swift
/// import PluginHost
/// PluginHostMain.serve(generatedPlugins)
/// ```
///
/// The loop announces itself with a `hello` line, then answers one request per line of standard
/// input, in order, until standard input closes. Requests run one at a time on the main thread;
/// Herald gets concurrency from several children, not from threads in one.
public enum PluginHostMain {
    /// Serves `plugins` over standard input and output until standard input closes, then exits 0.
    ///
    /// Exits 2 without serving when two plugins share a name.
    public static func serve(_ plugins: [any ReportPlugin.Type]) -> Never {
        let catalogue: PluginCatalogue
        do {
            catalogue = try PluginCatalogue(plugins)
        } catch {
            log("plugin host: cannot start: \(error.message)")
            exit(2)
        }
        watchParent()
        var server = Server(catalogue: catalogue)
        send(PluginResponse(id: PluginProtocol.helloID, body: .hello(server.hello)))
        var reader = LineReader(fd: STDIN_FILENO)
        while let line = reader.next() {
            guard !line.isEmpty else { continue }
            let response = server.respond(to: line)
            // Whatever a plugin printed must reach the pipe before our answer, so Herald sees it
            // as the protocol violation it is rather than having it tacked onto a later line.
            fflush(nil)
            send(response)
        }
        exit(0)
    }

    /// Writes a line to standard error, which Herald copies into its log.
    static func log(_ message: String) {
        let data = Data((message + "\n").utf8)
        writeAll(STDERR_FILENO, data)
    }

    private static func send(_ response: PluginResponse) {
        let line: Data
        do {
            line = try PluginProtocol.encodeLine(response)
        } catch {
            let failure = PluginFailure(code: .pluginThrew, message: "cannot encode the response: \(error)")
            line = (try? PluginProtocol.encodeLine(PluginResponse(id: response.id, body: .error(failure)))) ?? Data()
        }
        // write(2), not stdio: an unbuffered write is on the pipe when this returns.
        if !writeAll(STDOUT_FILENO, line) { exit(0) }
    }

    @discardableResult
    private static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Exits when Herald goes away, even while a plugin hangs and nobody reads standard input.
    private static func watchParent() {
        let parent = getppid()
        let thread = Thread {
            while true {
                sleep(1)
                if getppid() != parent { exit(0) }
            }
        }
        thread.name = "parent-watchdog"
        thread.start()
    }
}

/// Turns request lines into response messages; holds the snapshot cache.
private struct Server {
    let catalogue: PluginCatalogue
    /// The most recently used snapshots by hash; runs of several jobs over one gathering share one.
    private var snapshots: [(hash: String, snapshot: Snapshot)] = []
    private let snapshotCacheSize = 2

    init(catalogue: PluginCatalogue) { self.catalogue = catalogue }

    var hello: HelloMessage { HelloMessage(pid: getpid(), plugins: catalogue.descriptions) }

    mutating func respond(to line: Data) -> PluginResponse {
        let request: PluginRequest
        do {
            let envelope = try PluginProtocol.decodeLine(Envelope.self, from: line)
            guard envelope.version == PluginProtocol.version else {
                let message = "protocol version \(envelope.version) is not supported (this host speaks \(PluginProtocol.version))"
                return PluginResponse(id: envelope.id, body: .error(PluginFailure(code: .badRequest, message: message)))
            }
            request = try PluginProtocol.decodeLine(PluginRequest.self, from: line)
        } catch {
            let id = (try? PluginProtocol.decodeLine(Envelope.self, from: line))?.id ?? 0
            return PluginResponse(id: id, body: .error(PluginFailure(code: .badRequest, message: "bad request: \(error)")))
        }
        do throws(PluginFailure) {
            return PluginResponse(id: request.id, body: try answer(request.body))
        } catch {
            return PluginResponse(id: request.id, body: .error(error))
        }
    }

    private mutating func answer(_ body: PluginRequest.Body) throws(PluginFailure) -> PluginResponse.Body {
        switch body {
        case .hello:
            return .hello(hello)
        case .list:
            return .plugins(catalogue.descriptions)
        case .validate(let request):
            try catalogue.entry(named: request.plugin).validate(request.options)
            return .valid
        case .report(let request):
            let entry = try catalogue.entry(named: request.plugin)
            guard let zone = TimeZone(identifier: request.timeZone) else {
                throw PluginFailure(code: .badRequest, message: "'\(request.timeZone)' is not an IANA time zone")
            }
            let snapshot = try snapshot(for: request.snapshot)
            return .digest(try entry.run(request, zone, snapshot))
        }
    }

    private mutating func snapshot(for handle: SnapshotHandle) throws(PluginFailure) -> Snapshot {
        if let index = snapshots.firstIndex(where: { $0.hash == handle.hash }) {
            let hit = snapshots.remove(at: index)
            snapshots.insert(hit, at: 0)
            return hit.snapshot
        }
        do {
            let snapshot = try SnapshotFile.read(handle)
            snapshots.insert((handle.hash, snapshot), at: 0)
            if snapshots.count > snapshotCacheSize { snapshots.removeLast() }
            return snapshot
        } catch {
            throw PluginFailure(code: .badSnapshot, message: String(describing: error))
        }
    }

    /// The fields every version of the protocol keeps, read before the rest.
    private struct Envelope: Decodable {
        var version: Int
        var id: UInt64
    }
}

/// Splits a file descriptor's bytes into lines, without stdio buffering.
struct LineReader {
    let fd: Int32
    private var buffer = Data()
    private var finished = false

    init(fd: Int32) { self.fd = fd }

    /// The next line without its `\n`, or nil at end of input (a final unterminated line is returned first).
    mutating func next() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return buffer
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                finished = true
            } else if count == 0 {
                finished = true
            } else {
                buffer.append(contentsOf: chunk[0..<count])
            }
        }
    }
}
