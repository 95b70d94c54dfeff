import ArgumentParser
import Foundation
import Scheduling

/// `--at`: the logical time a run stands for.
struct LogicalTimeOption: ParsableArguments {
    @Option(name: .long, help: "The run's logical time, RFC 3339 (default: now).")
    var at: String?

    func resolve() throws -> Date {
        guard let at else { return Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }
        guard let date = RFC3339.parse(at) else {
            throw ValidationError("--at '\(at)' is not an RFC 3339 time (e.g. 2014-03-03T09:00:00Z)")
        }
        return date
    }
}
