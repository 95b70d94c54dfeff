import Foundation

/// A named source of programme data, as configured under `sources:` in `etc/herald.yaml`.
public struct SourceDefinition: Sendable, Hashable {
    /// How a source's bytes are laid out.
    public enum Format: Sendable, Hashable {
        /// A Herald records file (YAML or JSON, by extension): a mapping whose keys are record kinds
        /// (`organisations`, `awards`, `suppliers`, `milestones`, `statistics`) and whose values are
        /// lists of records with the ReportKit field names.
        case records
        /// A 360Giving JSON package (`{"grants": [...]}`), read into awards.
        case threeSixtyGiving
        /// 360Giving's flattened spreadsheet form as CSV: one grant per row, columns titled
        /// `Identifier`, `Amount Awarded`, `Recipient Org:Identifier`, … (titles match case-insensitively;
        /// `columns:` maps other titles onto them). The layout's `records` is always `awards`.
        case threeSixtyGivingCSV(CSVLayout)
        /// A CSV table of one record kind, one record per row.
        case csv(CSVLayout)
    }

    /// The source's name in the config; quarantine entries and records' origins carry it.
    public var name: String
    /// The file to read. For a remote source, where its last body is cached.
    public var path: URL
    /// How the bytes are laid out.
    public var format: Format
    /// For a remote source, its `http://` or `https://` address; nil for a local file.
    public var url: String?
    /// How many quarantined records make the source (and a run using it) fail; nil for no limit.
    public var maxBadRows: BadRowLimit?

    /// Creates a source definition.
    public init(name: String, path: URL, format: Format, url: String? = nil, maxBadRows: BadRowLimit? = nil) {
        self.name = name
        self.path = path
        self.format = format
        self.url = url
        self.maxBadRows = maxBadRows
    }

    /// Where the data comes from, as messages and provenance show it: the URL, else the path.
    public var address: String { url ?? path.path }
}

/// A text encoding a CSV source may be written in.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    /// UTF-8; a leading byte-order mark is ignored.
    case utf8 = "utf-8"
    /// Windows-1252 (what Excel writes as "CSV" on a UK Windows machine): £ is 0xA3, € is 0x80.
    case windows1252 = "windows-1252"
}

/// How a CSV source maps to records.
public struct CSVLayout: Sendable, Hashable {
    /// The kind of record each row is.
    public var records: RecordKind
    /// Column header → record field, for columns whose header is not the field's own name.
    ///
    /// Without a mapping, a header is read as the field in snake_case (`as_of` → `asOf`), and
    /// headers `source_url`, `source_publisher`, `source_title`, `source_published`, `source_quote`
    /// and `confidence` fill the record's first provenance entry. For 360Giving CSV, the mapped-to
    /// name is a 360Giving column title (`Amount` → `Amount Awarded`).
    public var columns: [String: String]
    /// The field separator; a comma by default.
    public var delimiter: Character
    /// The file's encoding; UTF-8 by default.
    public var encoding: TextEncoding
    /// The 1-based line holding the column titles (lines above it, such as a title banner, are skipped).
    public var headerRow: Int

    /// Creates a layout.
    public init(records: RecordKind, columns: [String: String] = [:], delimiter: Character = ",",
                encoding: TextEncoding = .utf8, headerRow: Int = 1) {
        self.records = records
        self.columns = columns
        self.delimiter = delimiter
        self.encoding = encoding
        self.headerRow = headerRow
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
