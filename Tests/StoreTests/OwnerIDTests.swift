import Foundation
import Testing

@testable import Store

struct OwnerIDTests {
    @Test func theIdHasHostPidAndStartParts() {
        let owner = OwnerID(hostname: "herald-1.example", pid: 4242, startNanos: 1_700_000_000_123_456_789)
        #expect(owner.rawValue == "herald-1.example:4242:1700000000123456789")
        #expect(owner.hostname == "herald-1.example")
        #expect(owner.pid == 4242)
        #expect(OwnerID(rawValue: "fe80::1:17:5").hostname == "fe80::1")
        #expect(OwnerID(rawValue: "not an owner").pid == nil)
    }

    @Test func currentNamesThisProcess() {
        #expect(OwnerID.current.pid == getpid())
        #expect(OwnerID.current == OwnerID.current)
        #expect(OwnerID.isProbablyAlive(.current))
    }

    @Test func aProcessThatExitedOnThisHostIsDead() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        let host = try #require(OwnerID.current.hostname)
        #expect(!OwnerID.isProbablyAlive(OwnerID(hostname: host, pid: process.processIdentifier, startNanos: 1)))
    }

    @Test func anEarlierIncarnationWithThisPidIsDead() throws {
        // As for pid 1 in a restarted container.
        let host = try #require(OwnerID.current.hostname)
        #expect(!OwnerID.isProbablyAlive(OwnerID(hostname: host, pid: getpid(), startNanos: 1)))
    }

    @Test func livingProcessesOtherHostsAndUnparsableIdsCountAsAlive() throws {
        let host = try #require(OwnerID.current.hostname)
        #expect(OwnerID.isProbablyAlive(OwnerID(hostname: host, pid: getppid(), startNanos: 1)))
        #expect(OwnerID.isProbablyAlive(OwnerID(hostname: host + "-elsewhere", pid: 999_999, startNanos: 1)))
        #expect(OwnerID.isProbablyAlive(OwnerID(rawValue: "opaque")))
    }
}
