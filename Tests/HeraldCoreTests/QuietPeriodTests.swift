import Synchronization
import Testing
@testable import HeraldCore

@Suite struct QuietPeriodTests {
    final class Count: Sendable {
        let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        var current: Int { value.withLock { $0 } }
    }

    @Test func restartsPutTheActionOffSoItRunsOnceAfterTheLast() async throws {
        let count = Count()
        let quiet = QuietPeriod(.milliseconds(500)) { count.add() }
        for _ in 0..<3 { quiet.restart() }
        let giveUp = ContinuousClock.now + .seconds(30)
        while count.current == 0, ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .seconds(1))
        #expect(count.current == 1)
    }

    @Test func cancelCallsOffThePendingAction() async throws {
        let count = Count()
        let quiet = QuietPeriod(.milliseconds(200)) { count.add() }
        quiet.restart()
        quiet.cancel()
        try await Task.sleep(for: .seconds(1))
        #expect(count.current == 0)
    }
}
