/// An expression's text as cronsim sees it: uppercased with Python's `str.upper()` rules and
/// split on Python's whitespace, while remembering where each piece came from so errors can
/// quote the original token and its column.
///
/// Everything works on Unicode scalars because Python strings are sequences of code points;
/// Swift's `Character` comparisons would fold canonically equivalent text together.
struct CronSource {
    /// The uppercased scalars that parsing looks at.
    let upper: [Unicode.Scalar]
    private let original: [Unicode.Scalar]
    /// For each uppercased scalar, the original scalar it came from (one may become several).
    private let originOf: [Int]
    /// For each original scalar (and one past the end), its 1-based character column.
    private let columnOf: [Int]

    init(_ text: String) {
        var columns: [Int] = []
        var column = 1
        for character in text {
            for _ in character.unicodeScalars {
                columns.append(column)
            }
            column += 1
        }
        columns.append(column)
        columnOf = columns
        original = Array(text.unicodeScalars)
        var upper: [Unicode.Scalar] = []
        var originOf: [Int] = []
        for (index, scalar) in original.enumerated() {
            // Python's upper() is the full per-code-point mapping, e.g. "ſun" becomes "SUN".
            let mapped = scalar.isASCII ? [Self.uppercasedASCII(scalar)]
                : Array(scalar.properties.uppercaseMapping.unicodeScalars)
            for piece in mapped {
                upper.append(piece)
                originOf.append(index)
            }
        }
        self.upper = upper
        self.originOf = originOf
    }

    /// The whitespace-separated fields, as ranges of `upper` (Python's `str.split()`).
    func fields() -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int?
        for (index, scalar) in upper.enumerated() {
            if Self.isPythonSpace(scalar) {
                if let begin = start {
                    result.append(begin..<index)
                    start = nil
                }
            } else if start == nil {
                start = index
            }
        }
        if let begin = start {
            result.append(begin..<upper.count)
        }
        return result
    }

    /// The uppercased text of a range, for comparing with names.
    func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: upper[range])
        return String(view)
    }

    /// The original text behind a range of `upper`, for quoting in errors.
    func originalText(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let first = originOf[range.lowerBound]
        let last = originOf[range.upperBound - 1]
        var view = String.UnicodeScalarView()
        view.append(contentsOf: original[first...last])
        return String(view)
    }

    /// The 1-based character column where a range of `upper` starts.
    func column(_ range: Range<Int>) -> Int {
        guard range.lowerBound < originOf.count else { return columnOf[columnOf.count - 1] }
        return columnOf[originOf[range.lowerBound]]
    }

    /// An error about a range of the text.
    func error(_ field: CronField?, _ range: Range<Int>, _ reason: String) -> CronSyntaxError {
        CronSyntaxError(field: field?.name, token: originalText(range), reason: reason, column: column(range))
    }

    /// Python's `str.isspace()`, which `str.split()` splits on; wider than Swift's notion
    /// (it includes the ASCII separators U+001C…U+001F).
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    private static func uppercasedASCII(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x61...0x7A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value - 32)) : scalar
    }
}
