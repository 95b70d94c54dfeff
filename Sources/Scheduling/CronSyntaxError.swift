/// Why a cron expression was rejected, pointing at the offending token so `herald check`
/// can underline it.
public struct CronSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field the token belongs to: "second", "minute", "hour", "day-of-month", "month" or
    /// "day-of-week"; nil for problems with the expression as a whole (field count, macros).
    public var field: String?
    /// The offending token exactly as written (may be empty, e.g. for `1,,2`).
    public var token: String
    /// Why the token is wrong, phrased to follow the quoted token: "is out of range 0-59".
    public var reason: String
    /// 1-based character column of the token in the expression.
    public var column: Int

    /// Creates an error; `column` counts characters from 1.
    public init(field: String?, token: String, reason: String, column: Int) {
        self.field = field
        self.token = token
        self.reason = reason
        self.column = column
    }

    /// One line for people, e.g. "day-of-month: '32' is out of range 1-31".
    public var description: String {
        let subject = "'\(token)' \(reason)"
        if let field {
            return "\(field): \(subject)"
        }
        return subject
    }
}
