import CurlKit
import Foundation
import Gathering
import ReportKit
import SnapshotArchive
import Testing

/// A 360Giving source served over HTTP from loopback by Python's http.server, with an ETag and a
/// Last-Modified that change with the file: the second gathering of an unchanged file costs one
/// 304 and no parse; a changed file is downloaded and read again.
@Suite struct RemoteSourceTests {
    static let server = """
        import email.utils, hashlib, http.server, os, sys, threading
        root = sys.argv[1]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = os.path.join(root, self.path.lstrip('/'))
                if not os.path.isfile(path):
                    self.send_response(404); self.end_headers(); print('404', flush=True); return
                data = open(path, 'rb').read()
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
                match = self.headers.get('If-None-Match')
                if match == etag or (match is None and self.headers.get('If-Modified-Since') == modified):
                    self.send_response(304); self.send_header('ETag', etag); self.end_headers()
                    print('304', flush=True); return
                self.send_response(200)
                self.send_header('ETag', etag); self.send_header('Last-Modified', modified)
                self.send_header('Content-Length', str(len(data))); self.end_headers()
                self.wfile.write(data)
                print('200 ' + str(self.headers.get('If-None-Match')), flush=True)
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        print('PORT', server.server_address[1], flush=True)
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        server.serve_forever()
        """

    func grants(_ ids: [String]) -> String {
        let list = ids.map { id in
            #"{"id": "\#(id)", "title": "t", "currency": "GBP", "amountAwarded": 10.5, "awardDate": "2014-07-24", "#
                + #""recipientOrganization": [{"id": "GB-CHC-1", "name": "R"}], "fundingOrganization": [{"id": "GB-GOR-D2", "name": "F"}]}"#
        }
        return #"{"grants": ["# + list.joined(separator: ",") + "]}"
    }

    @Test func conditionalGetServesAnUnchangedSourceFromCacheAndRefetchesAChangedOne() async throws {
        let served = try Fixtures.write(grants(["a", "b"]), name: "grants.json").deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.server, served.path]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        defer { process.terminate() }
        var lines = LineReader(output.fileHandleForReading)
        let portLine = lines.next() ?? ""
        let port = try #require(Int(portLine.dropFirst(5)))

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("herald-remote-\(UUID().uuidString)")
        let cache = home.appendingPathComponent("var/cache/sources")
        let source = SourceDefinition(name: "remote", path: SourceFetcher.bodyPath(for: "remote", in: cache),
                                      format: .threeSixtyGiving, url: "http://127.0.0.1:\(port)/grants.json")
        let client = CurlClient()
        let fetcher = SourceFetcher(client: client, cacheDirectory: cache)

        let first = try await Gatherer.gather([source], fetcher: fetcher)
        #expect(lines.next()?.hasPrefix("200 None") == true, "no validator on the first request")
        #expect(first.sources[0].fetch.status == .downloaded)
        #expect(first.sources[0].fetch.etag != nil)
        #expect(first.sources[0].fetch.lastModified != nil)
        #expect(first.snapshot.awards.map(\.id) == ["a", "b"])

        let second = try await Gatherer.gather([source], fetcher: fetcher)
        #expect(lines.next() == "304")
        #expect(second.sources[0].fetch.status == .notModified)
        #expect(second.sources[0].fetch.parsedFromCache, "an unchanged body is not parsed again")
        #expect(second.snapshot.awards.map(\.id) == ["a", "b"])
        #expect(try second.archive.encoded() == first.archive.encoded())

        // A new body: a new ETag, so the server answers 200 to the old one.
        try Data(grants(["a", "b", "c"]).utf8).write(to: served.appendingPathComponent("grants.json"))
        let third = try await Gatherer.gather([source], fetcher: fetcher)
        let line = lines.next() ?? ""
        #expect(line.hasPrefix("200 \"") && line.contains(first.sources[0].fetch.etag!))
        #expect(third.sources[0].fetch.status == .downloaded)
        #expect(!third.sources[0].fetch.parsedFromCache)
        #expect(third.sources[0].fetch.etag != first.sources[0].fetch.etag)
        #expect(third.snapshot.awards.map(\.id) == ["a", "b", "c"])

        let missing = SourceDefinition(name: "missing", path: SourceFetcher.bodyPath(for: "missing", in: cache),
                                       format: .threeSixtyGiving, url: "http://127.0.0.1:\(port)/nothing.json")
        await #expect {
            try await Gatherer.gather([missing], fetcher: fetcher)
        } throws: { error in
            (error as? GatheringError)?.message == "HTTP 404" && (error as? GatheringError)?.location.hasSuffix("/nothing.json") == true
        }
        await client.shutdown()
    }
}

/// Lines of a child's standard output, read as they come (a blocking read: the server always answers).
struct LineReader {
    let handle: FileHandle
    var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}
