/// The six cron fields in cronsim's order (seconds first; 5-field expressions get "0").
enum CronField: Int, CaseIterable {
    case second, minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages, matching cronsim's "Bad day-of-month" wording.
    var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Accepted numbers; day-of-week allows 7 for Sunday, as cronsim does.
    var range: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Three-letter names and the numbers they stand for (month and day-of-week only).
    var names: [String] {
        switch self {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// The number a name stands for: months count from 1, weekdays from 0 (Sunday).
    func value(ofName name: String) -> Int? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return self == .month ? index + 1 : index
    }
}

/// What one field matches, as cronsim's set of items: plain numbers plus the special
/// `L`, `LW` (day-of-month), `nL` and `n#k` (day-of-week) items.
struct FieldValues: Equatable {
    /// Bit n set when number n is in the set (numbers are at most 59).
    var numbers: UInt64 = 0
    /// Day-of-month `L`: the last day of the month.
    var lastDay = false
    /// Day-of-month `LW`: the last weekday (Mon–Fri) of the month.
    var lastWeekday = false
    /// Day-of-week `nL`: bit n (0–7) for "the last weekday n of the month".
    var lastOfWeekday: UInt8 = 0
    /// Day-of-week `n#k`: element k-1 has bit n set for "the k-th weekday n of the month".
    var nthOfWeekday: [UInt8] = [0, 0, 0, 0, 0]

    var isEmpty: Bool { self == FieldValues() }

    /// The single plain number, when that is all the set holds (cronsim's `len(items) == 1`).
    var singleNumber: Int? {
        guard numbers.nonzeroBitCount == 1, !lastDay, !lastWeekday, lastOfWeekday == 0,
              nthOfWeekday.allSatisfy({ $0 == 0 }) else { return nil }
        return numbers.trailingZeroBitCount
    }

    /// The plain numbers in ascending order.
    var sortedNumbers: [Int] {
        (0..<64).filter { numbers & (1 << UInt64($0)) != 0 }
    }

    func contains(_ number: Int) -> Bool {
        number >= 0 && number < 64 && numbers & (1 << UInt64(number)) != 0
    }

    mutating func insert(_ number: Int) {
        numbers |= 1 << UInt64(number)
    }

    mutating func formUnion(_ other: FieldValues) {
        numbers |= other.numbers
        lastDay = lastDay || other.lastDay
        lastWeekday = lastWeekday || other.lastWeekday
        lastOfWeekday |= other.lastOfWeekday
        for index in 0..<5 {
            nthOfWeekday[index] |= other.nthOfWeekday[index]
        }
    }
}
