import Foundation

/// A named source of programme data, as configured under `sources:` in `etc/herald.yaml`.
public struct SourceDefinition: Sendable, Hashable {
    /// How a source's file is laid out.
    public enum Format: Sendable, Hashable {
        /// A Herald records file (YAML or JSON, by extension): a mapping whose keys are record kinds
        /// (`organisations`, `awards`, `suppliers`, `milestones`, `statistics`) and whose values are
        /// lists of records with the ReportKit field names.
        case records
        /// A 360Giving JSON package (`{"grants": [...]}`), read into awards.
        case threeSixtyGiving
        /// A CSV table of one record kind, one record per row.
        case csv(CSVLayout)
    }

    /// The source's name in the config; quarantine entries and records' origins carry it.
    public var name: String
    /// The file to read.
    public var path: URL
    /// How the file is laid out.
    public var format: Format

    /// Creates a source definition.
    public init(name: String, path: URL, format: Format) {
        self.name = name
        self.path = path
        self.format = format
    }
}

/// How a CSV source maps to records.
public struct CSVLayout: Sendable, Hashable {
    /// The kind of record each row is.
    public var records: RecordKind
    /// Column header → record field, for columns whose header is not the field's own name.
    ///
    /// Without a mapping, a header is read as the field in snake_case (`as_of` → `asOf`), and
    /// headers `source_url`, `source_publisher`, `source_title`, `source_published`, `source_quote`
    /// and `confidence` fill the record's first provenance entry.
    public var columns: [String: String]
    /// The field separator; a comma by default.
    public var delimiter: Character

    /// Creates a layout.
    public init(records: RecordKind, columns: [String: String] = [:], delimiter: Character = ",") {
        self.records = records
        self.columns = columns
        self.delimiter = delimiter
    }
}

/// The kinds of record a source can hold.
public enum RecordKind: String, Sendable, Hashable, CaseIterable {
    /// ``ReportKit/Organisation`` records.
    case organisations
    /// ``ReportKit/Award`` records.
    case awards
    /// ``ReportKit/Supplier`` records.
    case suppliers
    /// ``ReportKit/Milestone`` records.
    case milestones
    /// ``ReportKit/Statistic`` records.
    case statistics
}
