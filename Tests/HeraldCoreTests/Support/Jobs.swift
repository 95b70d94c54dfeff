import Foundation
@testable import HeraldCore
import Scheduling

/// Builds jobs without config files, and parses instants tersely.
enum Jobs {
    static func make(_ name: String, _ cron: String, zone: String = "Europe/London", catchUp: CatchUpPolicy = .latest,
                     window: TimeInterval = 86400, overlap: OverlapPolicy = .skip) throws -> JobDefinition {
        let position = SourcePosition(file: "schedules/\(name).yaml", line: 1, column: 1)
        return JobDefinition(
            name: name, file: URL(fileURLWithPath: "/dev/null"), plugin: "healthy", schedule: try CronExpression(cron),
            timeZone: TimeZone(identifier: zone)!, timeZoneName: zone, options: Data("{}".utf8), destinations: [], catchUp: catchUp,
            catchUpWindow: window, overlap: overlap, pluginPosition: position, optionsPosition: position)
    }
}

/// `t("2026-03-29T01:00:00Z")`.
func t(_ text: String) -> Date { RFC3339.parse(text)! }

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
