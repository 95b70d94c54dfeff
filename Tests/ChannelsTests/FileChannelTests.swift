import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

@Suite struct FileChannelTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-outbox-\(UUID().uuidString)")

    @Test func namesFilesByJobLogicalTimeAndDestination() {
        let path = FileChannel.relativePath(job: "weekly", logicalTime: Date(timeIntervalSince1970: 1_393_837_200),
                                            destination: "outbox")
        #expect(path == "weekly/2014-03-03T090000Z--outbox.txt")
    }

    @Test func theSameMessageTwiceIsOneFileAndADifferentOneIsNeverOverwritten() throws {
        let first = try FileChannel.deliver(Data("hello\n".utf8), to: folder, relativePath: "j/t--o.txt")
        guard case .written(let url) = first else { Issue.record("expected written, got \(first)"); return }
        #expect(try FileChannel.deliver(Data("hello\n".utf8), to: folder, relativePath: "j/t--o.txt") == .alreadyPresent(url))
        #expect(throws: FileChannelError.self) { try FileChannel.deliver(Data("changed\n".utf8), to: folder, relativePath: "j/t--o.txt") }
        #expect(try String(contentsOf: url, encoding: .utf8) == "hello\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["t--o.txt"])
    }

    @Test func foldersResolveRelativeToHomeAndBadURLsAreRefused() throws {
        let home = URL(fileURLWithPath: "/srv/herald")
        func folder(_ url: String) throws -> String {
            try FileChannel(DestinationSettings(name: "o", url: url), home: home).folder.path
        }
        #expect(try folder("file://var/outbox") == "/srv/herald/var/outbox")
        #expect(try folder("file:///data/outbox") == "/data/outbox")
        #expect(throws: ChannelError.self) { try ChannelRegistry.channel(for: DestinationSettings(name: "o", url: "gopher://x"), home: home) }
        #expect(throws: ChannelError.self) { try ChannelRegistry.channel(for: DestinationSettings(name: "o", url: "var/outbox"), home: home) }
        #expect(throws: ChannelError.self) { try folder("file://") }
    }

    @Test func sendWritesTheRenderedMessageOnceAndARepeatCountsAsSent() async throws {
        let channel = try FileChannel(DestinationSettings(name: "outbox", url: "file://" + folder.path), home: folder)
        let context = RenderContext(job: "weekly", logicalTime: Date(timeIntervalSince1970: 1_393_837_200), runID: "1")
        let messages = channel.render(Fixture.digest, context: context)
        #expect(messages.map(\.recipient) == ["weekly/2014-03-03T090000Z--outbox.txt"])
        let message = try #require(messages.first)
        let transport = RefusingTransport()
        for _ in 0..<2 {
            let report = await channel.send(message, key: "k", context: RequestContext(), via: transport)
            #expect(report.verdict == .sent(remoteID: folder.appendingPathComponent(message.recipient).path))
        }
        let written = try String(contentsOf: folder.appendingPathComponent(message.recipient), encoding: .utf8)
        #expect(written == PlainTextRendering.render(Fixture.digest))
        #expect(channel.render(Digest(title: "", summary: ""), context: context).isEmpty)
    }
}

/// A transport that fails every call: the file channel must never use one.
struct RefusingTransport: ChannelTransport {
    func execute(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        Issue.record("unexpected HTTP request")
        throw CurlError(code: .other, message: "refused", requestMayHaveBeenSent: false)
    }

    func send(_ mail: MailTransfer) async throws(CurlError) -> MailReceipt {
        Issue.record("unexpected mail")
        throw CurlError(code: .other, message: "refused", requestMayHaveBeenSent: false)
    }
}
