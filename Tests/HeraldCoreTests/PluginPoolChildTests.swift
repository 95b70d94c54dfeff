import Foundation
@testable import HeraldCore
import PluginHost
import Testing

/// One plugin-host child below the pool: the outcomes the pool builds its errors from.
@Suite
struct PluginPoolChildTests {
    private func launch() async throws -> PluginChild {
        let configuration = PluginPoolConfiguration(executable: PluginPoolFixtures.testHost)
        let (child, hello) = try await PluginChild.launch(configuration: configuration,
                                                          logger: PluginPoolLogRecorder().logger(label: "child"))
        #expect(hello.pid == child.pid)
        return child
    }

    private func line(_ id: UInt64, _ plugin: String) throws -> Data {
        try PluginProtocol.encodeLine(PluginRequest(id: id, body: .report(PluginPoolFixtures.request(plugin))))
    }

    @Test func aDeadChildReportsTheRequestUndelivered() async throws {
        let child = try await launch()
        child.kill()
        #expect(await child.termination(within: .seconds(5)) == .signaled(SIGKILL))
        let outcome = await child.exchange(id: 1, line: try line(1, "healthy"), plugin: "healthy", deadline: .now + .seconds(5))
        guard case .notDelivered = outcome else {
            Issue.record("expected notDelivered, got \(outcome)")
            return
        }
        child.closeInput()
    }

    @Test func answersCarryTheRequestID() async throws {
        let child = try await launch()
        for id in UInt64(1)...3 {
            let outcome = await child.exchange(id: id, line: try line(id, "healthy"), plugin: "healthy", deadline: .now + .seconds(5))
            guard case .response(let response) = outcome, case .digest = response.body else {
                Issue.record("request \(id): \(outcome)")
                return
            }
            #expect(response.id == id)
        }
        child.closeInput()
        #expect(await child.termination(within: .seconds(5)) == .exited(0), "a child exits 0 when its input closes")
    }
}
