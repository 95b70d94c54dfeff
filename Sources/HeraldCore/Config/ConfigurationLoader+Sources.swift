import Foundation
import Gathering
import Yams

extension ConfigurationLoader {
    static let sourceKeys = ["path", "url", "format", "records", "columns", "delimiter", "encoding", "header_row", "max_bad_rows"]

    /// Reads `sources:`: each a name mapped to where the data is (`path:` or `url:`) and how to read it.
    ///
    /// `format:` is `records` (YAML/JSON records, the default), `csv` (with `records:`), or `360giving`
    /// (JSON package; the flattened spreadsheet form when the file or URL ends in `.csv`, or with
    /// `format: 360giving-csv`). CSV sources take `columns:`, `delimiter:`, `encoding:` (`utf-8` or
    /// `windows-1252`) and `header_row:`. Any source takes `max_bad_rows:` (a count, or `"5%"`).
    func readSources(_ node: Node?, file: String, home: URL, reader: inout ConfigReader) -> [SourceDefinition] {
        guard let node else { return [] }
        var result: [SourceDefinition] = []
        for (key, value) in node.mapping.map({ Array($0) }) ?? [] {
            guard let name = key.string else { continue }
            let fields = reader.mapping(value, file: file, allowed: Self.sourceKeys, what: "source '\(name)'")
            let pathNode = fields["path"]?.value, urlNode = fields["url"]?.value
            var location: (path: URL, url: String?, name: String)
            switch (pathNode, urlNode) {
            case (nil, nil):
                reader.error(file, value, "source '\(name)' needs a path (a file) or a url (http or https)")
                continue
            case (_?, _?):
                reader.error(file, urlNode, "source '\(name)' has both path and url; give one")
                continue
            case (let p?, nil):
                guard let path = reader.string(p, file: file, what: "path") else { continue }
                let url = resolve(path, against: home)
                if !FileManager.default.fileExists(atPath: url.path) {
                    reader.error(file, p, "source '\(name)': file \(display(url)) does not exist")
                }
                location = (url, nil, url.lastPathComponent)
            case (nil, let u?):
                guard let text = reader.string(u, file: file, what: "url") else { continue }
                guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                    parsed.host != nil
                else {
                    reader.error(file, u, "source '\(name)': url must be an http:// or https:// address")
                    continue
                }
                let cache = home.appendingPathComponent("var/cache/sources")
                location = (SourceFetcher.bodyPath(for: name, in: cache, url: text), text, parsed.lastPathComponent)
            }
            let ext = (location.name as NSString).pathExtension.lowercased()
            let formatNode = fields["format"]?.value
            let formatName = reader.string(formatNode, file: file, what: "format") ?? (ext == "csv" ? "csv" : "records")
            let format: SourceDefinition.Format
            switch formatName {
            case "records": format = .records
            case "360giving" where ext == "csv", "360giving-csv":
                guard let layout = csvLayout(fields, kind: .awards, file: file, reader: &reader) else { continue }
                format = .threeSixtyGivingCSV(layout)
            case "360giving", "360giving-json": format = .threeSixtyGiving
            case "csv":
                let kindNode = fields["records"]?.value
                guard let kindText = reader.string(kindNode, file: file, what: "records"),
                    let kind = RecordKind(rawValue: kindText)
                else {
                    reader.error(file, kindNode ?? value, "CSV source '\(name)' needs records: one of "
                        + RecordKind.allCases.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                guard let layout = csvLayout(fields, kind: kind, file: file, reader: &reader) else { continue }
                format = .csv(layout)
            default:
                reader.error(file, formatNode, "unknown format '\(formatName)' (records, csv, 360giving or 360giving-csv)")
                continue
            }
            var limit: BadRowLimit?
            if let limitNode = fields["max_bad_rows"]?.value, let text = reader.string(limitNode, file: file, what: "max_bad_rows") {
                limit = BadRowLimit(parsing: text)
                if limit == nil {
                    reader.error(file, limitNode, "max_bad_rows must be a count (10) or a percentage (\"5%\"), not '\(text)'")
                }
            }
            result.append(SourceDefinition(name: name, path: location.path, format: format, url: location.url, maxBadRows: limit))
        }
        return result
    }

    private func csvLayout(_ fields: [String: (key: Node, value: Node)], kind: RecordKind, file: String,
                           reader: inout ConfigReader) -> CSVLayout? {
        var columns: [String: String] = [:]
        for (header, field) in reader.mapping(fields["columns"]?.value, file: file, allowed: [], what: "columns") {
            columns[header] = reader.string(field.value, file: file, what: "column '\(header)'")
        }
        let delimiter = reader.string(fields["delimiter"]?.value, file: file, what: "delimiter") ?? ","
        if delimiter.count != 1 || delimiter.first?.isASCII != true {
            reader.error(file, fields["delimiter"]?.value, "delimiter must be one ASCII character")
            return nil
        }
        var encoding = TextEncoding.utf8
        if let node = fields["encoding"]?.value, let text = reader.string(node, file: file, what: "encoding") {
            switch text.lowercased() {
            case "utf-8", "utf8", "utf-8-sig": encoding = .utf8
            case "windows-1252", "cp1252", "latin-1", "iso-8859-1": encoding = .windows1252
            default:
                reader.error(file, node, "encoding must be utf-8 or windows-1252, not '\(text)'")
                return nil
            }
        }
        let headerRow = reader.integer(fields["header_row"]?.value, file: file, what: "header_row", range: 1...1000) ?? 1
        return CSVLayout(records: kind, columns: columns, delimiter: delimiter.first!, encoding: encoding, headerRow: headerRow)
    }
}
