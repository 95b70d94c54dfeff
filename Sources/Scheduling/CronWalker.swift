import Foundation

/// Finds successive fire times by walking a clock forward exactly as cronsim 2.8's
/// `CronSim.__next__` does: tick one second, then repeatedly roll the month, day, hour,
/// minute and second forward to the next allowed value, re-checking from the month after
/// every change.
///
/// cronsim's answers across DST changes are consequences of that procedure (which steps go
/// through UTC and which replace wall-clock fields), not of a separate rule, so matching it
/// everywhere means walking the same way. Each roll is bounded (≤ 12 months, ≤ 31 days,
/// ≤ 24 hours, ≤ 60 minutes or seconds), so a search costs microseconds even when the next
/// fire is years away.
///
/// Two modes, as in cronsim. With `usesWallClockDST` the walk is on naive wall-clock time,
/// and a result that doesn't exist (skipped by spring-forward) is moved a minute at a time to
/// the first one that does; a repeated time is read as its first occurrence. Otherwise every
/// tick goes through UTC, so the walk follows real time and both occurrences of a repeated
/// time can fire.
struct CronWalker {
    private let schedule: CronSchedule
    private var clock: ZoneClock
    private var wall: WallClock
    /// PEP 495's `fold` of the current reading (only meaningful when not naive).
    private var fold: Bool
    private let naive: Bool

    /// How many years past the start of one search cronsim looks before giving up.
    static let horizonYears = 50

    /// Starts at `start` truncated to the second, as cronsim drops microseconds.
    init(schedule: CronSchedule, zone: TimeZone, start: Date) {
        self.schedule = schedule
        clock = ZoneClock(zone: zone)
        naive = schedule.usesWallClockDST
        let instant = Int64(floor(start.timeIntervalSince1970))
        (wall, fold) = clock.wall(atInstant: instant)
    }

    /// The next instant cronsim would yield (Unix seconds), or nil when it would give up.
    mutating func next() -> Int64? {
        tick(1)
        for _ in 0..<Self.maxDetours {
            let searchStart = clock.instant(of: wall, fold: naive ? false : fold)
            switch advance() {
            case .found:
                if naive {
                    while isImaginary(wall) {
                        wall.seconds += 60
                    }
                    return clock.instant(of: wall, fold: false)
                }
                return clock.instant(of: wall, fold: fold)
            case .exhausted:
                return nil
            case .cycling:
                if let fire = scanRealTime(from: searchStart, through: searchStart + Self.detourSpan) {
                    (wall, fold) = clock.wall(atInstant: fire)
                    return fire
                }
                (wall, fold) = clock.wall(atInstant: searchStart + Self.detourSpan + 1)
            }
        }
        return nil
    }

    // MARK: - cronsim's steps

    private mutating func tick(_ seconds: Int64) {
        if naive {
            wall.seconds += seconds
        } else {
            let instant = clock.instant(of: wall, fold: fold) + seconds
            (wall, fold) = clock.wall(atInstant: instant)
        }
    }

    private enum Outcome {
        case found
        /// Nothing within the horizon; cronsim raises StopIteration.
        case exhausted
        /// The walk came back to a reading it had already been at, so cronsim would loop
        /// forever. It happens in a few fall-back overlaps, when rolling a field back to :00
        /// lands in the first occurrence of the repeated hour, e.g. `* 47 3,20-23 * * *` in
        /// Pacific/Chatham on 2022-04-03 from 03:16.
        case cycling
    }

    /// How far a detour scans when cronsim's walk would never finish (such cycles only
    /// happen within hours of a transition).
    private static let detourSpan: Int64 = 2 * 86_400
    private static let maxDetours = 16

    private mutating func advance() -> Outcome {
        let startYear = wall.date.year
        // Only the UTC-ticking mode can revisit a reading; the naive walk only moves forward.
        var seen = Set<Int64>()
        var steps = 0
        while true {
            steps += 1
            if !naive && !seen.insert(wall.seconds &* 2 &+ (fold ? 1 : 0)).inserted || steps > 5_000_000 {
                return .cycling
            }
            advanceMonth()
            if wall.date.year > startYear + Self.horizonYears {
                return .exhausted
            }
            if advanceDay() { continue }
            if advanceHour() { continue }
            if advanceMinute() { continue }
            if advanceSecond() { continue }
            return .found
        }
    }

    /// Herald's own answer where cronsim has none: the first instant in [from, through] whose
    /// wall-clock reading matches every field, stepping through real time a minute at a time
    /// (a second at a time inside matching minutes).
    private mutating func scanRealTime(from: Int64, through: Int64) -> Int64? {
        var instant = from
        while instant <= through {
            let (reading, _) = clock.wall(atInstant: instant)
            let minuteMatches = CronSchedule.has(schedule.months, reading.date.month)
                && schedule.matchesDay(reading.dayNumber)
                && CronSchedule.has(schedule.hours, reading.hour)
                && CronSchedule.has(schedule.minutes, reading.minute)
            if !minuteMatches {
                instant += Int64(60 - reading.second)
            } else if CronSchedule.has(schedule.seconds, reading.second) {
                return instant
            } else {
                instant += 1
            }
        }
        return nil
    }

    private mutating func advanceMonth() {
        var (year, month, _) = wall.date
        if CronSchedule.has(schedule.months, month) {
            return
        }
        repeat {
            month += 1
            if month > 12 {
                month = 1
                year += 1
            }
        } while !CronSchedule.has(schedule.months, month)
        setMidnight(CivilCalendar.dayNumber(year: year, month: month, day: 1))
    }

    private mutating func advanceDay() -> Bool {
        var needle = wall.dayNumber
        if schedule.matchesDay(needle) {
            return false
        }
        while !schedule.matchesDay(needle) {
            needle += 1
            // A new month: go back and check the month field first.
            if CivilCalendar.date(dayNumber: needle).day == 1 {
                break
            }
        }
        setMidnight(needle)
        return true
    }

    private mutating func advanceHour() -> Bool {
        if CronSchedule.has(schedule.hours, wall.hour) {
            return false
        }
        wall.seconds -= wall.secondOfDay % 3600
        while !CronSchedule.has(schedule.hours, wall.hour) {
            tick(3600)
            if wall.hour == 0 {
                break
            }
        }
        return true
    }

    private mutating func advanceMinute() -> Bool {
        if CronSchedule.has(schedule.minutes, wall.minute) {
            return false
        }
        wall.seconds -= Int64(wall.second)
        if let target = schedule.singleMinute {
            tick(Int64((target - wall.minute + 60) % 60) * 60)
        }
        while !CronSchedule.has(schedule.minutes, wall.minute) {
            tick(60)
            if wall.minute == 0 {
                break
            }
        }
        return true
    }

    private mutating func advanceSecond() -> Bool {
        if CronSchedule.has(schedule.seconds, wall.second) {
            return false
        }
        if let target = schedule.singleSecond {
            tick(Int64((target - wall.second + 60) % 60))
        }
        while !CronSchedule.has(schedule.seconds, wall.second) {
            tick(1)
            if wall.second == 0 {
                break
            }
        }
        return true
    }

    /// `datetime.combine(day, time(), tzinfo=…)`: midnight, with `fold` reset.
    private mutating func setMidnight(_ dayNumber: Int) {
        wall = WallClock(midnightOf: dayNumber)
        fold = false
    }

    /// cronsim's `is_imaginary`: the reading doesn't survive a round trip through UTC.
    private mutating func isImaginary(_ reading: WallClock) -> Bool {
        let instant = clock.instant(of: reading, fold: false)
        return clock.wall(atInstant: instant).wall.seconds != reading.seconds
    }
}
