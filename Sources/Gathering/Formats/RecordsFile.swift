import Foundation
import ReportKit
import Yams

/// Herald records files: YAML or JSON mappings from record kind to a list of records.
enum RecordsFile {
    static func read(_ source: SourceDefinition, into batch: inout RecordBatch, quarantine: inout [QuarantineEntry]) throws {
        let data = try Gatherer.readFile(source)
        let path = source.path.path
        if source.path.pathExtension.lowercased() == "json" {
            let top: JSONNode
            do {
                top = try JSONNode.parse(data)
            } catch {
                throw GatheringError(source: source.name, location: error.location(in: path), message: error.message)
            }
            guard let object = top.object else {
                throw GatheringError(source: source.name, location: path, message: "expected an object of record lists")
            }
            for key in object.keys.sorted() {
                guard let kind = RecordKind(rawValue: key) else {
                    throw GatheringError(source: source.name, location: "\(path)#/\(key)", message: unknownKind(key))
                }
                guard let list = object[key]?.array else {
                    throw GatheringError(source: source.name, location: "\(path)#/\(key)", message: "expected a list of \(key)")
                }
                for (i, element) in list.enumerated() {
                    let location = "\(path)#/\(key)/\(i)"
                    decode(kind, json: { try JSONSerialization.data(withJSONObject: element.foundationValue) }, source: source,
                           location: location, into: &batch, quarantine: &quarantine)
                }
            }
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GatheringError(source: source.name, location: path, message: "the file is not UTF-8")
        }
        let root: Node?
        do {
            root = try YAMLJSON.compose(text)
        } catch {
            throw GatheringError(source: source.name, location: "\(path):\(error.line):\(error.column)", message: error.message)
        }
        guard let root else { return }
        guard let mapping = root.mapping else {
            let p = root.position
            throw GatheringError(source: source.name, location: "\(path):\(p.line):\(p.column)",
                                 message: "expected a mapping of record lists (organisations:, awards:, …)")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let p = keyNode.position
            guard let kind = RecordKind(rawValue: key) else {
                throw GatheringError(source: source.name, location: "\(path):\(p.line):\(p.column)", message: unknownKind(key))
            }
            guard let list = value.sequence else {
                throw GatheringError(source: source.name, location: "\(path):\(p.line):\(p.column)",
                                     message: "expected a list of \(key)")
            }
            for element in list {
                let e = element.position
                decode(kind, json: { try YAMLJSON.data(element) }, source: source, location: "\(path):\(e.line)",
                       into: &batch, quarantine: &quarantine)
            }
        }
    }

    private static func unknownKind(_ key: String) -> String {
        "unknown record kind '\(key)' (expected one of \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")))"
    }

    private static func decode(_ kind: RecordKind, json: () throws -> Data, source: SourceDefinition, location: String,
                               into batch: inout RecordBatch, quarantine: inout [QuarantineEntry]) {
        do {
            try batch.add(kind, json: try json(), origin: RecordOrigin(source: source.name, location: location))
        } catch let error as DecodingError {
            let (field, reason) = error.fieldAndReason
            quarantine.append(QuarantineEntry(source: source.name, location: location, field: field, reason: reason))
        } catch {
            quarantine.append(QuarantineEntry(source: source.name, location: location, field: nil, reason: "\(error)"))
        }
    }
}
