import Foundation
import HeraldCore
import Store
import Synchronization

/// Run work that records what it was asked to do, optionally holding each run until released,
/// and tracks how many runs were going at once.
final class RecordingWork: RunWork {
    struct Call: Hashable {
        var job: String
        var logicalTime: Date
        var previousSuccessfulRun: Date?
    }

    private struct State {
        var calls: [Call] = []
        var inFlight = 0
        var maxInFlight = 0
        var gates: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let holdRuns: Bool

    init(holdRuns: Bool = false) { self.holdRuns = holdRuns }

    var calls: [Call] { state.withLock { $0.calls } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var waiting: Int { state.withLock { $0.gates.count } }

    func perform(_ job: JobDefinition, run: Run, previousSuccessfulRun: Date?) async -> RunResult {
        let logicalTime = run.logicalTime
        state.withLock {
            $0.calls.append(Call(job: job.name, logicalTime: logicalTime, previousSuccessfulRun: previousSuccessfulRun))
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
        if holdRuns {
            await withCheckedContinuation { continuation in state.withLock { $0.gates.append(continuation) } }
        }
        state.withLock { $0.inFlight -= 1 }
        return RunResult(outcome: .succeeded(detail: "recorded"))
    }

    /// Lets every held run finish.
    func releaseAll() {
        let gates = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            defer { s.gates = [] }
            return s.gates
        }
        for gate in gates { gate.resume() }
    }
}
