import Channels
import Foundation
import Yams

extension ConfigurationLoader {
    static let destinationKeys = ["url", "endpoint", "secret", "to", "recipients_file", "concurrency", "rate", "max_age",
                                  "timeout"]

    /// Reads `destinations:`; each is checked by making its channel, so a bad URL, secret or recipient is
    /// reported here, at its line, and never as a failed send.
    func readDestinations(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> [DestinationDefinition] {
        guard let node else { return [] }
        var result: [DestinationDefinition] = []
        for (key, value) in node.mapping.map({ Array($0) }) ?? [] {
            guard let name = key.string else { continue }
            let fields = reader.mapping(value, file: file, allowed: Self.destinationKeys, what: "destination '\(name)'")
            guard let urlNode = fields["url"]?.value else {
                reader.error(file, value, "destination '\(name)' needs a url")
                continue
            }
            guard let url = reader.string(urlNode, file: file, what: "url") else { continue }
            var recipients: [String] = []
            var positions: [SourcePosition] = []
            for (recipient, recipientNode) in reader.stringList(fields["to"]?.value, file: file, what: "to") ?? [] {
                recipients.append(recipient)
                positions.append(SourcePosition(file: file, node: recipientNode))
            }
            if let fileNode = fields["recipients_file"]?.value,
               let path = reader.string(fileNode, file: file, what: "recipients_file") {
                let list = resolve(path, against: home)
                do {
                    let shown = display(list)
                    for (line, recipient) in try Self.recipientLines(list) {
                        recipients.append(recipient)
                        positions.append(SourcePosition(file: shown, line: line, column: 1))
                    }
                } catch {
                    reader.error(file, fileNode, "destination '\(name)': cannot read recipients_file \(display(list)): "
                        + error.localizedDescription)
                }
            }
            let settings = DestinationSettings(
                name: name, url: url, endpoint: reader.string(fields["endpoint"]?.value, file: file, what: "endpoint"),
                secret: reader.string(fields["secret"]?.value, file: file, what: "secret"), recipients: recipients,
                recipientPositions: positions.map { "\($0.file):\($0.line)" })
            let policy = readPolicy(fields, file: file, reader: &reader)
            do {
                let channel = try ChannelRegistry.channel(for: settings, home: home)
                // A bad address in a long list is skipped, not fatal: say where it is and go on with the others.
                for rejected in (channel as? any RecipientScreening)?.rejectedRecipients ?? [] {
                    let position = rejected.index.flatMap { positions.indices.contains($0) ? positions[$0] : nil }
                        ?? SourcePosition(file: file, node: urlNode)
                    reader.warning(at: position, "destination '\(name)': '\(rejected.entry)' skipped: \(rejected.reason)")
                }
                result.append(DestinationDefinition(name: name, settings: settings, channel: channel, policy: policy,
                                                    position: SourcePosition(file: file, node: key)))
            } catch {
                // Channel errors never repeat credentials; the reader scrubs substituted values as well.
                reader.error(file, urlNode, "destination '\(name)': \(error.message)")
            }
        }
        return result
    }

    private func readPolicy(_ fields: [String: (key: Node, value: Node)], file: String, reader: inout ConfigReader) -> DeliveryPolicy {
        var policy = DeliveryPolicy.standard
        if let concurrency = reader.integer(fields["concurrency"]?.value, file: file, what: "concurrency", range: 1...256) {
            policy.concurrency = concurrency
        }
        if let rateNode = fields["rate"]?.value, let text = reader.string(rateNode, file: file, what: "rate") {
            if let rate = DeliveryPolicy.parseRate(text) {
                policy.ratePerSecond = rate
            } else {
                reader.error(file, rateNode, "rate: '\(text)' is not a rate; write e.g. 60/min, 5/s or 1000/h")
            }
        }
        if let age = duration(fields["max_age"]?.value, file: file, what: "max_age", reader: &reader) {
            if age > 0 { policy.maxAge = age } else { reader.error(file, fields["max_age"]?.value, "max_age must be longer than 0s") }
        }
        if let timeout = duration(fields["timeout"]?.value, file: file, what: "timeout", reader: &reader) {
            if timeout > 0 { policy.timeout = timeout } else { reader.error(file, fields["timeout"]?.value, "timeout must be longer than 0s") }
        }
        return policy
    }

    /// The entries of a recipients file with their line numbers: one per line, surrounding spaces trimmed;
    /// blank lines and lines starting with `#` are skipped.
    static func recipientLines(_ url: URL) throws -> [(Int, String)] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var result: [(Int, String)] = []
        // Lists of ten thousand are normal, and Foundation's line enumeration and trimming cost far more than
        // the rest of loading the configuration. ("\r\n" is one Character in Swift.)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, line) in lines.enumerated() {
            let entry = line.drop { $0 == " " || $0 == "\t" }
            guard let first = entry.first, first != "#" else { continue }
            var end = entry.endIndex
            while end > entry.startIndex, [" ", "\t"].contains(entry[entry.index(before: end)]) {
                end = entry.index(before: end)
            }
            result.append((offset + 1, String(entry[..<end])))
        }
        return result
    }
}
