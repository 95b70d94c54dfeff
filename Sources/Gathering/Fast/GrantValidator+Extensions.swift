import Foundation
import ReportKit
import SnapshotArchive

extension GrantValidator {
    /// Classifications (`msp-sector`, `msp-support`), Herald's `suppliers` and `provenance` extensions,
    /// and `dataSource`. The first three are rare in published files, so they go through the general
    /// JSON tree rather than the byte reader.
    mutating func extensions(_ g: GrantFields, into row: inout AwardRow) throws(GrantProblem) {
        if let list = try tree(g.classifications, "classifications")?.array {
            var supportTypes: [UInt32] = []
            for c in list {
                guard let code = c["code"]?.string else { continue }
                switch c["vocabulary"]?.string {
                case "msp-sector": if row.sector == StringTable.none { row.sector = table.strings.intern(code) }
                case "msp-support": supportTypes.append(table.strings.intern(code))
                default: break
                }
            }
            row.supportTypes = table.internList(supportTypes)
        }
        if let list = try tree(g.suppliers, "suppliers")?.array {
            row.supplierIds = table.internList(list.compactMap { $0["id"]?.string }.map { table.strings.intern($0) })
        }
        if let node = try tree(g.provenance, "provenance") {
            let entries: [Provenance]
            do {
                entries = try JSONDecoder().decode(
                    [Provenance].self,
                    from: JSONSerialization.data(withJSONObject: node.foundationValue, options: .fragmentsAllowed))
            } catch {
                throw GrantProblem(field: "provenance", reason: "is not a list of provenance entries")
            }
            if !entries.isEmpty {
                row.provenance = table.internList(entries.map { table.internProvenance(row: $0) })
                return
            }
        }
        if let source = try optionalBytes(g.dataSource, "dataSource"), !ByteText.isBlank(source) {
            let index = table.strings.intern(source)
            if dataSourceIsURL(index) { row.provenance = table.urlOnlyProvenanceList(url: index) }
        }
    }

    /// Whether string `index` parses as a URL, asked once per distinct text (a URL parse costs more
    /// than reading a grant).
    private mutating func dataSourceIsURL(_ index: UInt32) -> Bool {
        if let known = urlCheck[index] { return known }
        let ok = URL(string: table.strings.string(index)) != nil
        urlCheck[index] = ok
        return ok
    }

    private func tree(_ value: RawValue, _ field: String) throws(GrantProblem) -> JSONNode? {
        let range: Range<Int>
        switch value {
        case .missing, .null: return nil
        case .array(let s, let e), .object(let s, let e), .number(let s, let e): range = s..<e
        case .string(let s, let e, _): range = (s - 1)..<(e + 1)
        case .bool(let b): return .bool(b)
        }
        do {
            return try JSONNode.parse(Data(UnsafeRawBufferPointer(rebasing: bytes[range])))
        } catch {
            throw GrantProblem(field: field, reason: "cannot be read: \(error.message)")
        }
    }
}
