import Foundation
import Gathering
import Scheduling
import Yams

extension ConfigurationLoader {
    func readJob(_ url: URL, defaultZone: (zone: TimeZone, name: String), destinations: [DestinationDefinition],
                 reader: inout ConfigReader) -> JobDefinition? {
        let file = display(url)
        let name = url.deletingPathExtension().lastPathComponent
        guard let root = reader.document(at: url, displayPath: file) else { return nil }
        let fields = reader.mapping(root, file: file, allowed: Self.jobKeys, what: "job '\(name)'")
        let errorsBefore = reader.diagnostics.filter { $0.severity == .error }.count

        let pluginNode = fields["plugin"]?.value
        let plugin = reader.string(pluginNode, file: file, what: "plugin")
        if pluginNode == nil { reader.error(file, root, "job '\(name)' needs plugin: (see `herald plugins`)") }

        let (zone, zoneName) = timeZone(fields["timezone"]?.value, file: file, reader: &reader) ?? defaultZone

        var schedule: CronExpression?
        let scheduleNode = fields["schedule"]?.value
        if scheduleNode == nil { reader.error(file, root, "job '\(name)' needs schedule: (cron, e.g. \"0 9 * * MON\")") }
        if let node = scheduleNode, let text = reader.string(node, file: file, what: "schedule") {
            do {
                schedule = try CronExpression(text)
            } catch {
                let quoted = node.scalar.map { $0.style == .plain ? 0 : 1 } ?? 0
                reader.error(file, node, "invalid schedule: \(error.description)", columnOffset: error.column - 1 + quoted)
            }
        }

        var options = Data("{}".utf8)
        if let node = fields["options"]?.value {
            if node.mapping == nil {
                reader.error(file, node, "options must be a mapping")
            } else if let data = try? YAMLJSON.data(node) {
                options = data
            }
        }

        var targets: [String] = []
        if let list = reader.stringList(fields["destinations"]?.value, file: file, what: "destinations") {
            for (target, node) in list {
                if destinations.contains(where: { $0.name == target }) {
                    targets.append(target)
                } else {
                    let known = destinations.map(\.name)
                    let hint = ConfigReader.suggestion(for: target, among: known).map { " (did you mean '\($0)'?)" }
                        ?? " (configured: \(known.joined(separator: ", ")))"
                    reader.error(file, node, "unknown destination '\(target)'\(hint)")
                }
            }
        } else {
            reader.error(file, root, "job '\(name)' needs destinations: (names from etc/herald.yaml)")
        }

        var catchUp = CatchUpPolicy.latest
        if let node = fields["catch_up"]?.value, let text = reader.string(node, file: file, what: "catch_up") {
            if let policy = CatchUpPolicy(rawValue: text) { catchUp = policy } else { reader.error(file, node, "catch_up must be skip, latest or all") }
        }
        let window = duration(fields["catch_up_window"]?.value, file: file, what: "catch_up_window", reader: &reader)
            ?? 24 * 3600
        var overlap = OverlapPolicy.skip
        if let node = fields["overlap"]?.value, let text = reader.string(node, file: file, what: "overlap") {
            if let policy = OverlapPolicy(rawValue: text) { overlap = policy } else { reader.error(file, node, "overlap must be skip or queue") }
        }
        _ = reader.string(fields["description"]?.value, file: file, what: "description")
        let templates = readEmailTemplates(fields, file: file, reader: &reader)

        guard reader.diagnostics.filter({ $0.severity == .error }).count == errorsBefore,
            let plugin, let schedule
        else { return nil }
        return JobDefinition(
            name: name, file: url, plugin: plugin, schedule: schedule, timeZone: zone, timeZoneName: zoneName, options: options,
            destinations: targets, catchUp: catchUp, catchUpWindow: window, overlap: overlap,
            pluginPosition: SourcePosition(file: file, node: pluginNode),
            optionsPosition: SourcePosition(file: file, node: fields["options"]?.value ?? root), templates: templates)
    }
}
