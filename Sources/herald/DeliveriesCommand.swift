import ArgumentParser
import Foundation
import HeraldCore
import Store

extension DeliveryState: ExpressibleByArgument {}

struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "Lists deliveries in the outbox, most recently changed first.",
        discussion: """
            States: pending, sending, sent, retry (with its due time), dead (with the reason), unknown (the request \
            may have arrived but no answer came, on a service that cannot deduplicate: check, then `herald retry ID` \
            or `herald drop ID`) and dropped.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: ConfigOption
    @Option(name: .long, help: "Only deliveries in this state (\(DeliveryState.allCases.map(\.rawValue).joined(separator: ", "))).")
    var state: DeliveryState?
    @Option(name: .long, help: "At most this many.") var limit: Int = 200
    @Option(name: .long, help: "text or json (json includes each delivery's attempts).") var format: Format = .text

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        let report = DeliveriesReport(configuration: runtime.configuration)
        let rows: [DeliveriesReport.Row]
        do {
            rows = try await report.rows(state: state, limit: limit, withAttempts: format == .json)
        } catch let missing as DeliveriesReport.StoreMissing {
            if format == .json { print("[]") } else { print(missing.description) }
            return
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        case .text:
            let header = ["ID", "STATE", "JOB", "LOGICAL TIME", "DESTINATION", "RECIPIENT", "PART", "TRIES", "DETAIL"]
            let table = [header] + rows.map { row -> [String] in
                let detail = row.state == "sent" ? (row.remoteID ?? "") : row.state == "retry"
                    ? "due \(row.due ?? "?"): \(row.lastError ?? "")" : (row.lastError ?? "")
                return [String(row.id), row.state, row.job, row.logicalTime, row.destination, row.recipient,
                        "\(row.part)/\(row.parts)", String(row.attempts), detail]
            }
            let widths = (0..<header.count - 1).map { column in table.map { $0[column].count }.max() ?? 0 }
            for line in table {
                let padded = zip(line.dropLast(), widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                print((padded + [line.last ?? ""]).joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
            if rows.isEmpty { print("(no deliveries\(state.map { " in state \($0.rawValue)" } ?? ""))") }
        }
    }
}

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queues a delivery again now (from unknown, dead, dropped or retry), with its original key.")

    @OptionGroup var options: ConfigOption
    @Argument(help: "The delivery's id, as `herald deliveries` shows it.") var id: Int64

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        try reportOperatorAction(try await DeliveriesReport(configuration: runtime.configuration).retry(id))
    }
}

struct DropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Gives up on a delivery (pending, retry, dead or unknown); later parts of its thread may then go.")

    @OptionGroup var options: ConfigOption
    @Argument(help: "The delivery's id, as `herald deliveries` shows it.") var id: Int64
    @Option(name: .long, help: "Why, for the record.") var reason: String?

    func run() async throws {
        let runtime = try loadRuntime(options.config)
        try reportOperatorAction(try await DeliveriesReport(configuration: runtime.configuration).drop(id, reason: reason))
    }
}

/// Prints what `herald retry` or `herald drop` did; a refusal goes to standard error and exits 1.
func reportOperatorAction(_ result: (message: String, done: Bool)) throws {
    guard result.done else {
        printError("error: " + result.message)
        throw ExitCode(1)
    }
    print(result.message)
}
