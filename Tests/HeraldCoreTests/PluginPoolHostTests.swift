import Foundation
import HeraldCore
import PluginHost
import ReportKit
import Testing

/// The shipped plugin host, the snapshot files children read, and the pool's measured costs.
@Suite(.serialized)
struct PluginPoolHostTests {
    @Test func shippedHostSaysHelloWithTheShippedPluginsOnly() async throws {
        let pool = PluginPoolFixtures.pool(size: 1, executable: PluginPoolFixtures.shippedHost, recorder: PluginPoolLogRecorder())
        try await pool.start()
        let names = try await pool.plugins().map(\.name)
        #expect(names.contains("anniversaries"))
        #expect(names.contains("funding-summary"))
        // The misbehaving test plugins never ship.
        #expect(names.allSatisfy { !["healthy", "trap", "hang", "garbage", "exit"].contains($0) })
        for plugin in try await pool.plugins() {
            #expect(!plugin.version.isEmpty && !plugin.summary.isEmpty, "\(plugin.name) lacks a version or summary")
        }
        await pool.shutdown()
    }

    @Test func snapshotFilesRoundTripAndAreContentAddressed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let date = LocalDate(year: 2014, month: 7, day: 24)!
        let snapshot = Snapshot(milestones: [Milestone(id: "m", kind: .other, date: date, title: "Day")])
        let handle = try SnapshotFile.write(snapshot, to: directory)
        #expect(handle.hash.count == 16)
        #expect(handle.path.hasSuffix("snapshot-\(handle.hash).hsnap"))
        #expect(try SnapshotFile.write(snapshot, to: directory) == handle, "same data, same file")
        #expect(try SnapshotFile.read(handle).milestones.map(\.id) == ["m"])
        #expect(try SnapshotFile.write(Snapshot(), to: directory).hash != handle.hash)

        var forged = handle
        forged.hash = "0000000000000000"
        #expect(throws: SnapshotFile.Error.self) { try SnapshotFile.read(forged) }
    }

    @Test func protocolLinesRoundTrip() throws {
        let request = PluginRequest(id: 7, body: .report(PluginPoolFixtures.request("healthy", options: ["top": 5, "x": [1.5, nil]])))
        let line = try PluginProtocol.encodeLine(request)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        #expect(try PluginProtocol.decodeLine(PluginRequest.self, from: line.dropLast()) == request)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""version":1"#) && text.contains(#""type":"report""#) && text.contains(#""id":7"#))

        let failure = PluginResponse(id: 7, body: .error(PluginFailure(code: .badOptions, message: "m", path: ["a", "0"])))
        #expect(try PluginProtocol.decodeLine(PluginResponse.self, from: PluginProtocol.encodeLine(failure).dropLast()) == failure)
    }

    /// Prints what a run costs, for the record.
    @Test func measuredCosts() async throws {
        let recorder = PluginPoolLogRecorder()
        let clock = ContinuousClock()
        let pool = PluginPoolFixtures.pool(size: 1, recorder: recorder)
        let startTime = try await clock.measure { try await pool.start() }

        var roundTrips: [Duration] = []
        for n in 0..<200 {
            let began = clock.now
            _ = try await pool.report(PluginPoolFixtures.request("healthy", job: "m\(n)"))
            roundTrips.append(clock.now - began)
        }
        roundTrips.sort()

        let crashBegan = clock.now
        await #expect(throws: PluginRunError.self) { try await pool.report(PluginPoolFixtures.request("trap")) }
        let crashToError = clock.now - crashBegan
        let respawnBegan = clock.now
        _ = try await pool.report(PluginPoolFixtures.request("healthy"))
        let respawnToRun = clock.now - respawnBegan
        await pool.shutdown()

        print("""
            plugin pool costs (debug build): start (spawn + hello) \(startTime); \
            round trip p50 \(roundTrips[100]) p90 \(roundTrips[180]) max \(roundTrips[199]); \
            trap request -> crashed error (incl. backtrace) \(crashToError); next run after respawn \(respawnToRun)
            """)
        // Figures only: timings are not asserted (a loaded machine would fail them, not a regression).
    }
}
