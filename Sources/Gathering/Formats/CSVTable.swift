import Foundation

/// An RFC 4180 CSV table: quoted fields may hold delimiters, doubled quotes and line breaks.
struct CSVTable {
    /// One data row, with the 1-based line it starts on.
    struct Row {
        var line: Int
        var fields: [String]
    }

    var header: [String]
    var rows: [Row]

    /// Parses `text` (a leading byte-order mark is ignored); the first row is the header.
    init(_ text: String, delimiter: Character = ",") throws(CSVSyntaxError) {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldWasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        if text.unicodeScalars.first == "\u{FEFF}" { _ = iterator.next() }
        var pending: Unicode.Scalar? = iterator.next()
        let delim = delimiter.unicodeScalars.first!
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                rows.append(Row(line: rowStart, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while let c = pending {
            pending = iterator.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw CSVSyntaxError(line: line, message: "a quote inside an unquoted field") }
                inQuotes = true
                fieldWasQuoted = true
            case delim:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRow()
                line += 1
                rowStart = line
            case "\n":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw CSVSyntaxError(line: rowStart, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        guard let first = rows.first else {
            header = []
            self.rows = []
            return
        }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        self.rows = Array(rows.dropFirst())
    }
}

struct CSVSyntaxError: Error {
    var line: Int
    var message: String
}
