/// Parses one field into the set of items it matches, following cronsim 2.8's `Field.parse`
/// branch by branch, so exactly the same texts are accepted and mean the same thing.
///
/// cronsim's order matters and is kept: `*`, then `,` lists, then (day-of-week) `nL`, then
/// (day-of-week) `n#k`, then `/` steps, then `-` ranges, then (day-of-month) `LW` and `L`,
/// then a single number or name. Some consequences worth knowing, all cronsim's:
/// `5/15` means 5,20,35,50 (a single start runs to the field's maximum); so does `5-5/15`;
/// `*/2` in day-of-week is 0,2,4,6 because the range is 0–7; `L/3` is just `L`;
/// `?`, `W` (other than `LW`) and `L` outside the day fields are rejected.
struct CronFieldParser {
    let source: CronSource
    let field: CronField

    /// Parses a whole field (a comma-separated list of terms).
    func parse(_ range: Range<Int>) throws(CronSyntaxError) -> FieldValues {
        var result = FieldValues()
        var start = range.lowerBound
        for index in range where source.upper[index] == "," {
            result.formUnion(try parseTerm(start..<index))
            start = index + 1
        }
        result.formUnion(try parseTerm(start..<range.upperBound))
        return result
    }

    private func parseTerm(_ range: Range<Int>) throws(CronSyntaxError) -> FieldValues {
        let scalars = source.upper[range]
        if scalars.count == 1 && scalars.first == "*" {
            return full()
        }
        if field == .dayOfWeek && scalars.contains("L") {
            return try parseLastOfWeekday(range)
        }
        if field == .dayOfWeek, let hash = firstIndex(of: "#", in: range) {
            return try parseNthOfWeekday(range, hash: hash)
        }
        if let slash = firstIndex(of: "/", in: range) {
            return try parseStep(range, slash: slash)
        }
        if let dash = firstIndex(of: "-", in: range) {
            let low = try value(range.lowerBound..<dash)
            let high = try value(dash + 1..<range.upperBound)
            if high < low {
                throw source.error(field, range, "is a range whose end (\(high)) comes before its start (\(low))")
            }
            var result = FieldValues()
            for number in low...high {
                result.insert(number)
            }
            return result
        }
        if field == .dayOfMonth {
            let text = source.text(range)
            if text == "LW" {
                var result = FieldValues()
                result.lastWeekday = true
                return result
            }
            if text == "L" {
                var result = FieldValues()
                result.lastDay = true
                return result
            }
        }
        var result = FieldValues()
        result.insert(try value(range))
        return result
    }

    /// `nL`: the last weekday n of the month. cronsim accepts only digits followed by L.
    private func parseLastOfWeekday(_ range: Range<Int>) throws(CronSyntaxError) -> FieldValues {
        let digits = range.lowerBound..<max(range.lowerBound, range.upperBound - 1)
        guard source.upper[range.upperBound - 1] == "L", !digits.isEmpty, isASCIIDigits(digits) else {
            throw source.error(field, range,
                "is not a last-weekday term: write a weekday number and L, e.g. 5L for the last Friday")
        }
        let number = try value(digits)
        var result = FieldValues()
        result.lastOfWeekday = 1 << UInt8(number)
        return result
    }

    /// `n#k`: the k-th weekday n of the month, k in 1–5; n may be a number or a name.
    private func parseNthOfWeekday(_ range: Range<Int>, hash: Int) throws(CronSyntaxError) -> FieldValues {
        let countRange = hash + 1..<range.upperBound
        guard let nth = integer(countRange) else {
            throw source.error(field, countRange, "is not an occurrence number (1-5) after '#'")
        }
        guard (1...5).contains(nth) else {
            throw source.error(field, countRange, "is out of range 1-5 for an occurrence after '#'")
        }
        let weekday = try value(range.lowerBound..<hash)
        var result = FieldValues()
        result.nthOfWeekday[nth - 1] = 1 << UInt8(weekday)
        return result
    }

    /// `term/step`: every step-th item of the term, where a single start runs to the maximum.
    private func parseStep(_ range: Range<Int>, slash: Int) throws(CronSyntaxError) -> FieldValues {
        let stepRange = slash + 1..<range.upperBound
        guard let step = integer(stepRange) else {
            throw source.error(field, stepRange, "is not a step: a whole number must follow '/'")
        }
        guard step > 0 else {
            throw source.error(field, stepRange, "is a step of 0: steps start at 1")
        }
        let items = try parseTerm(range.lowerBound..<slash)
        var onlyLast = FieldValues()
        onlyLast.lastDay = true
        var onlyLastWeekday = FieldValues()
        onlyLastWeekday.lastWeekday = true
        if items == onlyLast || items == onlyLastWeekday {
            return items
        }
        let numbers: [Int]
        if let start = items.singleNumber {
            numbers = Array(start...field.range.upperBound)
        } else {
            numbers = items.sortedNumbers
        }
        var result = FieldValues()
        for index in stride(from: 0, to: numbers.count, by: step) {
            result.insert(numbers[index])
        }
        return result
    }

    /// A single number or name, range-checked (cronsim's `Field.int`).
    private func value(_ range: Range<Int>) throws(CronSyntaxError) -> Int {
        if let named = field.value(ofName: source.text(range)) {
            return named
        }
        guard let number = integer(range) else {
            throw source.error(field, range, notANumberReason(range))
        }
        guard field.range.contains(number) else {
            throw source.error(field, range,
                "is out of range \(field.range.lowerBound)-\(field.range.upperBound)")
        }
        return number
    }

    /// A run of ASCII digits (cronsim's `_int`), saturating far above any field's range.
    private func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, isASCIIDigits(range) else { return nil }
        var result = 0
        for index in range {
            result = min(result * 10 + Int(source.upper[index].value - 48), 1_000_000_000)
        }
        return result
    }

    private func isASCIIDigits(_ range: Range<Int>) -> Bool {
        range.allSatisfy { (48...57).contains(source.upper[$0].value) }
    }

    private func firstIndex(of character: Unicode.Scalar, in range: Range<Int>) -> Int? {
        range.first { source.upper[$0] == character }
    }

    private func full() -> FieldValues {
        var result = FieldValues()
        for number in field.range {
            result.insert(number)
        }
        return result
    }

    /// Says what was expected, with a hint for the syntax of other cron dialects.
    private func notANumberReason(_ range: Range<Int>) -> String {
        if range.isEmpty {
            return "is empty: a value is missing"
        }
        let text = source.text(range)
        if text == "?" {
            return "is not supported: write '*' instead of '?'"
        }
        if field == .dayOfMonth && text.hasSuffix("W") {
            return "is not supported: the only W form is LW (the last weekday of the month)"
        }
        if text.contains("L") && field != .dayOfMonth && field != .dayOfWeek && field != .month {
            return "is not allowed: L works only in day-of-month and day-of-week"
        }
        if text.contains("#") {
            return "is not allowed: '#' works only in day-of-week, as weekday#n"
        }
        switch field {
        case .month: return "is not a month: use 1-12 or JAN-DEC"
        case .dayOfWeek: return "is not a weekday: use 0-7 (0 and 7 are Sunday) or SUN-SAT"
        case .dayOfMonth: return "is not a day of the month: use 1-31, L or LW"
        default: return "is not a number"
        }
    }
}
