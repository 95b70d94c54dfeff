import Channels
import Foundation
import Testing

@Suite struct FileChannelTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-outbox-\(UUID().uuidString)")

    @Test func namesFilesByJobLogicalTimeAndDestination() {
        let path = FileChannel.relativePath(job: "weekly", logicalTime: Date(timeIntervalSince1970: 1_393_837_200),
                                            destination: "outbox")
        #expect(path == "weekly/2014-03-03T090000Z--outbox.txt")
    }

    @Test func theSameMessageTwiceIsOneFileAndADifferentOneIsNeverOverwritten() throws {
        let first = try FileChannel.deliver("hello\n", to: folder, relativePath: "j/t--o.txt")
        guard case .written(let url) = first else { Issue.record("expected written, got \(first)"); return }
        #expect(try FileChannel.deliver("hello\n", to: folder, relativePath: "j/t--o.txt") == .alreadyPresent(url))
        #expect(throws: FileChannelError.self) { try FileChannel.deliver("changed\n", to: folder, relativePath: "j/t--o.txt") }
        #expect(try String(contentsOf: url, encoding: .utf8) == "hello\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["t--o.txt"])
    }

    @Test func addressesResolveRelativeToHome() throws {
        let home = URL(fileURLWithPath: "/srv/herald")
        #expect(try DestinationAddress("file://var/outbox").folder(home: home).path == "/srv/herald/var/outbox")
        #expect(try DestinationAddress("file:///data/outbox").folder(home: home).path == "/data/outbox")
        #expect(throws: DestinationAddressError.self) { try DestinationAddress("gopher://x") }
        #expect(throws: DestinationAddressError.self) { try DestinationAddress("var/outbox") }
    }
}
