import Foundation

/// Converts between instants and wall-clock readings of one zone exactly as Python's
/// `zoneinfo` does, because cronsim's DST behaviour is defined by those conversions.
///
/// The part Foundation does not give is what a wall-clock time *inside* a transition means.
/// `zoneinfo` answers with PEP 495's `fold`: in a gap (spring forward) or an overlap (fall
/// back), `fold = 0` reads the time with the offset from *before* the transition and
/// `fold = 1` with the offset from *after* it; converting an instant back sets `fold = 1`
/// only for the second occurrence of a repeated time. We rebuild that from Foundation's
/// offset-at-an-instant, finding transitions near the time asked about by bisection, and
/// remember the ones found so the walker's many nearby conversions cost one lookup each.
///
/// Assumes a change of offset is never undone within 12 hours (true of every zone since the
/// 1940s); such a pair would go unseen.
struct ZoneClock {
    /// One change of UTC offset, at a whole-second instant.
    struct Transition {
        var at: Int64
        var before: Int64
        var after: Int64
    }

    private let zone: TimeZone
    /// The span of instants whose transitions are all in `transitions`; empty when lo > hi.
    private var knownLo: Int64 = 1
    private var knownHi: Int64 = 0
    private var offsetAtKnownLo: Int64 = 0
    private var offsetAtKnownHi: Int64 = 0
    private var transitions: [Transition] = []

    /// Far enough either side of a wall time to hold every transition that can affect it:
    /// no UTC offset reaches a day.
    private static let reach: Int64 = 86_400
    /// How far past what was asked we look, so a walk forward rarely has to look again.
    private static let chunk: Int64 = 8 * 86_400
    /// Beyond this the remembered span is dropped rather than grown.
    private static let maxKnownSpan: Int64 = 400 * 86_400

    init(zone: TimeZone) {
        self.zone = zone
    }

    /// The zone's UTC offset in effect at an instant, in seconds.
    func offset(atInstant instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The instant of a wall-clock reading, choosing inside gaps and overlaps by `fold`
    /// as `datetime.astimezone(UTC)` does.
    mutating func instant(of wall: WallClock, fold: Bool) -> Int64 {
        let local = wall.seconds
        cover(local - Self.reach, local + Self.reach)
        var offset = offsetAtKnownLo
        for transition in transitions {
            // zoneinfo's wall-time transition lists: fold 0 switches at the later of the two
            // local readings of the transition instant, fold 1 at the earlier one.
            let threshold = transition.at + (fold
                ? min(transition.before, transition.after)
                : max(transition.before, transition.after))
            if local >= threshold {
                offset = transition.after
            } else if transition.at > local + Self.reach {
                break
            }
        }
        return local - offset
    }

    /// The wall-clock reading of an instant, with `fold` set for the second occurrence of a
    /// repeated time as `zoneinfo`'s `fromutc` does.
    mutating func wall(atInstant instant: Int64) -> (wall: WallClock, fold: Bool) {
        cover(instant - Self.reach, instant)
        var offset = offsetAtKnownLo
        var latest: Transition?
        for transition in transitions {
            if transition.at > instant { break }
            offset = transition.after
            latest = transition
        }
        var fold = false
        if let latest {
            fold = latest.before - latest.after > instant - latest.at
        }
        return (WallClock(seconds: instant + offset), fold)
    }

    // MARK: - Finding transitions

    private mutating func cover(_ lo: Int64, _ hi: Int64) {
        let empty = knownLo > knownHi
        if empty || hi < knownLo - Self.chunk || lo > knownHi + Self.chunk
            || knownHi - knownLo > Self.maxKnownSpan {
            knownLo = lo
            knownHi = hi + Self.chunk
            offsetAtKnownLo = offset(atInstant: knownLo)
            offsetAtKnownHi = offset(atInstant: knownHi)
            transitions = findTransitions(from: knownLo, offsetAtKnownLo, to: knownHi, offsetAtKnownHi)
            return
        }
        if lo < knownLo {
            let newLo = lo - Self.chunk
            let newOffset = offset(atInstant: newLo)
            transitions = findTransitions(from: newLo, newOffset, to: knownLo, offsetAtKnownLo) + transitions
            knownLo = newLo
            offsetAtKnownLo = newOffset
        }
        if hi > knownHi {
            let newHi = hi + Self.chunk
            let newOffset = offset(atInstant: newHi)
            transitions += findTransitions(from: knownHi, offsetAtKnownHi, to: newHi, newOffset)
            knownHi = newHi
            offsetAtKnownHi = newOffset
        }
    }

    /// The offset changes in (lo, hi], given the offsets at both ends. Probes every
    /// `probeStep` so a change and its reversal within the span (Gaza's DST is suspended
    /// for Ramadan for days at a time) aren't mistaken for no change.
    private func findTransitions(
        from lo: Int64, _ offsetAtLo: Int64, to hi: Int64, _ offsetAtHi: Int64
    ) -> [Transition] {
        var found: [Transition] = []
        var segmentStart = lo
        var offsetAtStart = offsetAtLo
        while segmentStart < hi {
            let segmentEnd = min(hi, segmentStart + Self.probeStep)
            let offsetAtEnd = segmentEnd == hi ? offsetAtHi : offset(atInstant: segmentEnd)
            found += bisect(from: segmentStart, offsetAtStart, to: segmentEnd, offsetAtEnd)
            segmentStart = segmentEnd
            offsetAtStart = offsetAtEnd
        }
        return found
    }

    private static let probeStep: Int64 = 12 * 3600

    /// Finds the changes in a span short enough to hold at most a few, by bisection.
    private func bisect(
        from lo: Int64, _ offsetAtLo: Int64, to hi: Int64, _ offsetAtHi: Int64
    ) -> [Transition] {
        var found: [Transition] = []
        var start = lo
        var current = offsetAtLo
        while current != offsetAtHi, found.count < 8 {
            var below = start
            var above = hi
            while above - below > 1 {
                let middle = below + (above - below) / 2
                if offset(atInstant: middle) == current {
                    below = middle
                } else {
                    above = middle
                }
            }
            let after = offset(atInstant: above)
            found.append(Transition(at: above, before: current, after: after))
            start = above
            current = after
        }
        return found
    }
}
