import Foundation

/// What to do about fire times missed while the daemon was down.
public enum CatchUpPolicy: String, Sendable, Codable, CaseIterable {
    /// Run none of them; carry on from the next fire.
    case skip
    /// Run only the newest one, if it is within the window.
    case latest
    /// Run every one within the window, oldest first.
    case all
}

/// Which missed fire times to run after downtime.
public enum CatchUp {
    /// Fires of `expression` in `zone` that were due in (lastCovered, now] — i.e. strictly after
    /// `lastCovered` and at or before `now` — filtered by `policy`:
    /// skip → [], latest → [the newest one within `window` of now] (or [] if none within window),
    /// all → every one within `window` of now, oldest first, at most `limit`.
    ///
    /// "Within `window` of now" means `now - fire <= window`. With `.all`, when more than
    /// `limit` are due the *oldest* `limit` are returned (a prefix of the full list), so a
    /// caller that records progress and asks again continues where it stopped.
    /// The work is bounded by the window and the limit, not by the length of the downtime.
    public static func missedFires(
        of expression: CronExpression, in zone: TimeZone, after lastCovered: Date, upTo now: Date,
        policy: CatchUpPolicy, window: TimeInterval, limit: Int = 1000
    ) -> [Date] {
        let upper = now.timeIntervalSince1970
        // Fires are whole seconds, so "fire >= now - window" is "fire > ceil(now - window) - 1".
        let windowStart = (upper - window).rounded(.up) - 1
        let lower = max(lastCovered.timeIntervalSince1970, windowStart.isNaN ? -.infinity : windowStart)
        guard lower < upper, policy != .skip, limit > 0, lower.isFinite else { return [] }
        switch policy {
        case .skip:
            return []
        case .all:
            return fires(of: expression, in: zone, in: lower, upper, limit: limit)
        case .latest:
            return latestFire(of: expression, in: zone, in: lower, upper).map { [$0] } ?? []
        }
    }

    /// Fires in (lower, upper], oldest first, at most `limit`.
    private static func fires(
        of expression: CronExpression, in zone: TimeZone, in lower: TimeInterval, _ upper: TimeInterval, limit: Int
    ) -> [Date] {
        var walker = CronWalker(schedule: expression.schedule, zone: zone, start: Date(timeIntervalSince1970: lower))
        var result: [Date] = []
        var earlyResults = 0
        while result.count < limit, let instant = walker.next() {
            let time = Double(instant)
            if time > upper {
                break
            }
            if time > lower {
                result.append(Date(timeIntervalSince1970: time))
            } else {
                earlyResults += 1
                if earlyResults > 100_000 { break }
            }
        }
        return result
    }

    /// The newest fire in (lower, upper], found by bisection on "is there a fire after t", so
    /// a job firing every second costs a few dozen searches however long the downtime was.
    private static func latestFire(
        of expression: CronExpression, in zone: TimeZone, in lower: TimeInterval, _ upper: TimeInterval
    ) -> Date? {
        func firstFire(after time: TimeInterval) -> TimeInterval? {
            expression.nextFire(after: Date(timeIntervalSince1970: time), in: zone)?.timeIntervalSince1970
        }
        guard var known = firstFire(after: lower), known <= upper else { return nil }
        // Invariant: `known` is a fire in range and nothing is known about (known, bound].
        var bound = upper
        while bound - known >= 1 {
            let middle = (known + (bound - known) / 2).rounded(.down)
            if let fire = firstFire(after: max(middle, known)), fire <= bound {
                known = fire
            } else {
                bound = max(middle, known)
            }
        }
        return Date(timeIntervalSince1970: known)
    }
}
