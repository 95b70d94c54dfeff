import Foundation

/// Times are stored as integer milliseconds since 1970 UTC: exact to compare, order and use as part of a unique key,
/// which a floating-point or text timestamp is not.
///
/// Conversions go through `timeIntervalSinceReferenceDate`, which is what `Date` stores, so that a time with whole
/// milliseconds comes back `==` to the `Date` it was made from; via `timeIntervalSince1970` it could differ in the
/// last bit.
enum StoredTime {
    private static let referenceDateMillis: Int64 = 978_307_200_000

    /// Rounds to the nearest millisecond; truncating would turn 1.001 s, held as 1.000999… in a Double, into 1.000 s.
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSinceReferenceDate * 1000).rounded()) + referenceDateMillis
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSinceReferenceDate: TimeInterval(millis - referenceDateMillis) / 1000)
    }

    static func millis(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
