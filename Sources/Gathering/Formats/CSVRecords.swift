import Foundation
import ReportKit

/// CSV sources: one record per row, columns named after record fields (snake_case or camelCase)
/// or mapped in the source's `columns:`.
enum CSVRecords {
    static let provenanceColumns = ["source_url": "url", "source_publisher": "publisher", "source_title": "title",
                                    "source_published": "published", "source_quote": "quote", "confidence": "confidence"]

    static func read(_ source: SourceDefinition, layout: CSVLayout, into batch: inout RecordBatch,
                     quarantine: inout [QuarantineEntry]) throws {
        let data = try Gatherer.readFile(source)
        let path = source.path.path
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatheringError(source: source.name, location: path, message: "the file is not UTF-8")
        }
        let table: CSVTable
        do {
            table = try CSVTable(text, delimiter: layout.delimiter)
        } catch {
            throw GatheringError(source: source.name, location: "\(path):\(error.line)", message: error.message)
        }
        let mapped = Dictionary(uniqueKeysWithValues: layout.columns.map { ($0.key, $0.value) })
        for row in table.rows {
            let location = "\(path):\(row.line)"
            guard row.fields.count == table.header.count else {
                quarantine.append(QuarantineEntry(
                    source: source.name, location: location, field: nil,
                    reason: "has \(row.fields.count) fields but the header has \(table.header.count)"))
                continue
            }
            var object: [String: Any] = [:]
            var provenance: [String: Any] = [:]
            for (header, value) in zip(table.header, row.fields) where !value.isEmpty {
                if let field = mapped[header] {
                    object[field] = value
                } else if let key = provenanceColumns[header] {
                    provenance[key] = value
                } else {
                    object[camelCase(header)] = value
                }
            }
            if !provenance.isEmpty { object["provenance"] = [provenance] }
            do {
                let json = try JSONSerialization.data(withJSONObject: object)
                try batch.add(layout.records, json: json, origin: RecordOrigin(source: source.name, location: location))
            } catch let error as DecodingError {
                let (field, reason) = error.fieldAndReason
                quarantine.append(QuarantineEntry(source: source.name, location: location, field: field, reason: reason))
            }
        }
    }

    /// `as_of` → `asOf`; camelCase headers are kept.
    static func camelCase(_ header: String) -> String {
        let parts = header.split(separator: "_")
        guard let first = parts.first else { return header }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
