import ArgumentParser
import Foundation
import Scheduling

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Cron schedule tools.", subcommands: [Next.self])

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Prints the next fire times of a cron expression.",
            discussion: """
                One RFC 3339 time with the zone's UTC offset per line, strictly after --after.
                EXPR is 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first,
                or @hourly, @daily, @weekly, @monthly, @yearly. Needs no configuration file.
                """)

        @Argument(help: "The cron expression, quoted.") var expression: String
        @Option(name: .long, help: "IANA time zone.") var tz: String = "UTC"
        @Option(name: .long, help: "Start instant, RFC 3339 (default: now).") var after: String?
        @Option(name: .long, help: "How many fire times.") var count: Int = 5

        func run() throws {
            guard let zone = TimeZone(identifier: tz) else {
                throw ValidationError("unknown time zone '\(tz)' (use an IANA name such as Europe/London)")
            }
            var start = Date()
            if let after {
                guard let parsed = RFC3339.parse(after) else {
                    throw ValidationError("--after '\(after)' is not an RFC 3339 time (e.g. 2026-03-29T00:30:00Z)")
                }
                start = parsed
            }
            guard count >= 0 else { throw ValidationError("--count must not be negative") }
            let cron: CronExpression
            do {
                cron = try CronExpression(expression)
            } catch {
                throw ValidationError("invalid expression: \(error.description)")
            }
            let lines = cron.fires(after: start, in: zone, count: count).map { RFC3339.format($0, in: zone) }
            if !lines.isEmpty { print(lines.joined(separator: "\n")) }
        }
    }
}
