import Foundation
import ReportKit
import SnapshotArchive

/// 360Giving JSON packages (`{"grants": [...]}`): each grant becomes an award row.
///
/// The bytes are read once, by ``JSONCursor`` (strict JSON, every byte checked) on two threads for
/// large files (``SplitReader``), and each grant is checked by ``GrantValidator``: a grant missing a
/// required field, or holding a value of the wrong form (an amount written as "£1,000", a date such
/// as "24/07/2014"), is quarantined with its JSON path (`path#/grants/12`) and the reason. Extension
/// keys Herald reads: `amountIsApproximate` (bool), `suppliers` ([{id, name}]) and `provenance`.
enum ThreeSixtyGivingJSON {
    struct Output {
        var validator: GrantValidator
        var rejected: [(index: Int, problem: GrantProblem)] = []
    }

    static func read(_ bytes: UnsafeRawBufferPointer, source: String, path: String, mapped: Bool = false) throws -> ParsedAwards {
        let shared = SharedBytes(buffer: bytes, mapped: mapped)
        let prefix = "\(path)#/grants/"
        let split = bytes.count >= SplitReader.minimumSplitBytes ? guessGrantStart(bytes, from: bytes.count / 2) : nil
        var (first, second) = SplitReader.run(
            split: split,
            first: { stopAt in readFromTop(shared, source: source, prefix: prefix, stopAt: stopAt) },
            second: { start in readFromGrant(shared, at: start, source: source, prefix: prefix) })
        if let failure = first.failure { throw syntaxError(failure, bytes, source: source, path: path) }
        if let failure = second?.failure { throw syntaxError(failure, bytes, source: source, path: path) }
        // Moved out of the first part (not copied), so that appending the second part's rows grows it in place.
        var table = AwardTable()
        swap(&table, &first.output.validator.table)
        var rejected = first.output.rejected
        if let second {
            table.append(second.output.validator.table, originOffset: UInt64(first.records))
            rejected += second.output.rejected.map { ($0.index + first.records, $0.problem) }
        }
        return ParsedAwards(
            table: table, records: first.records + (second?.records ?? 0),
            quarantine: rejected.map { QuarantineEntry(source: source, location: "\(prefix)\($0.index)",
                                                       field: $0.problem.field, reason: $0.problem.reason) })
    }

    private static func syntaxError(_ failure: any Error, _ bytes: UnsafeRawBufferPointer, source: String, path: String) -> GatheringError {
        if let f = failure as? JSONCursor.Failure {
            let (line, column) = SplitReader.lineAndColumn(bytes, f.offset)
            return GatheringError(source: source, location: "\(path):\(line):\(column)", message: "invalid JSON: \(f.message)")
        }
        if failure is NotAPackage {
            return GatheringError(source: source, location: path,
                                  message: "not a 360Giving package: expected an object with a \"grants\" list")
        }
        return GatheringError(source: source, location: path, message: "\(failure)")
    }

    /// The first reader: the package object, its keys before `grants`, then grants until `stopAt`
    /// (or the end, and the rest of the package).
    private static func readFromTop(_ shared: SharedBytes, source: String, prefix: String,
                                    stopAt: Int?) -> SplitReader.Part<Output> {
        let bytes = shared.buffer
        var output = Output(validator: GrantValidator(bytes: bytes, textual: false, source: source, locationPrefix: prefix,
                                                      expected: (stopAt ?? bytes.count) / 700, rowCapacity: bytes.count / 700))
        var pages = PageRelease(shared, from: 0)
        var part = SplitReader.Part(output: output, records: 0)
        var c = JSONCursor(bytes)
        do throws(JSONCursor.Failure) {
            c.skipWhitespace()
            guard c.byte == 0x7B else {
                part.failure = notAPackage()
                return part
            }
            var sawGrants = false
            if try c.openObject() {
                repeat {
                    let k = try c.key()
                    guard !k.escaped, c.equals(k.start, k.end, "grants"), !sawGrants else {
                        try c.skipValue()
                        continue
                    }
                    sawGrants = true
                    guard c.byte == 0x5B else {
                        part.failure = notAPackage()
                        return part
                    }
                    if try readGrants(&c, into: &output, count: &part.records, stopAt: stopAt, reached: &part.reachedSplit, pages: &pages) {
                        part.output = output
                        return part
                    }
                } while try c.next(close: 0x7D)
                c.leave()
            }
            try finish(&c)
            guard sawGrants else {
                part.failure = notAPackage()
                return part
            }
        } catch {
            part.failure = error
        }
        part.output = output
        return part
    }

    /// The second reader: grants from `start` to the end of the list, then the rest of the package.
    private static func readFromGrant(_ shared: SharedBytes, at start: Int, source: String,
                                      prefix: String) -> SplitReader.Part<Output> {
        let bytes = shared.buffer
        var output = Output(validator: GrantValidator(bytes: bytes, textual: false, source: source, locationPrefix: prefix,
                                                      expected: (bytes.count - start) / 700))
        var pages = PageRelease(shared, from: start)
        var part = SplitReader.Part(output: output, records: 0)
        var c = JSONCursor(bytes, at: start)
        c.depth = 2
        do throws(JSONCursor.Failure) {
            var reached = false
            _ = try readGrantList(&c, into: &output, count: &part.records, stopAt: nil, reached: &reached, pages: &pages)
            while try c.next(close: 0x7D) {
                _ = try c.key()
                try c.skipValue()
            }
            c.leave()
            try finish(&c)
        } catch {
            part.failure = error
        }
        part.output = output
        return part
    }

    /// Reads the grants list at the cursor (`[` next). Returns true when it stopped at `stopAt`.
    private static func readGrants(_ c: inout JSONCursor, into output: inout Output, count: inout Int, stopAt: Int?,
                                   reached: inout Bool, pages: inout PageRelease) throws(JSONCursor.Failure) -> Bool {
        guard try c.openArray() else { return false }
        return try readGrantList(&c, into: &output, count: &count, stopAt: stopAt, reached: &reached, pages: &pages)
    }

    /// Reads grants from the cursor (inside the list) to its `]`, or until the cursor reaches `stopAt`.
    private static func readGrantList(_ c: inout JSONCursor, into output: inout Output, count: inout Int, stopAt: Int?,
                                      reached: inout Bool, pages: inout PageRelease) throws(JSONCursor.Failure) -> Bool {
        repeat {
            c.skipWhitespace()
            pages.reader(at: c.index)
            if let stopAt, c.index >= stopAt {
                reached = c.index == stopAt
                if reached { return true }
            }
            let index = count
            count += 1
            guard let grant = try c.grant() else {
                output.rejected.append((index, GrantProblem(field: nil, reason: "is not an object")))
                continue
            }
            do {
                try output.validator.accept(grant, number: UInt64(index))
            } catch {
                output.rejected.append((index, error))
            }
        } while try c.next(close: 0x5D)
        c.leave()
        return false
    }

    /// Only whitespace may follow the package.
    private static func finish(_ c: inout JSONCursor) throws(JSONCursor.Failure) {
        c.skipWhitespace()
        guard c.atEnd else { throw c.fail("unexpected data after the JSON value") }
    }

    private static func notAPackage() -> any Error {
        NotAPackage()
    }

    struct NotAPackage: Error {}

    /// Where, at or after `from`, a grant most likely starts: a `{` after `}` and `,`, preferring one
    /// whose first key is `"id"` (every 360Giving tool writes it first). Nil when none is found nearby.
    static func guessGrantStart(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        let limit = min(bytes.count, from + (8 << 20))
        var fallback: Int?
        var i = from
        func skipSpace(_ k: Int) -> Int {
            var k = k
            while k < limit, bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09 { k += 1 }
            return k
        }
        while i < limit {
            if bytes[i] == 0x7D {
                var k = skipSpace(i + 1)
                if k < limit, bytes[k] == 0x2C {
                    k = skipSpace(k + 1)
                    if k < limit, bytes[k] == 0x7B {
                        let key = skipSpace(k + 1)
                        if key + 4 <= limit, bytes[key] == 0x22, bytes[key + 1] == 0x69, bytes[key + 2] == 0x64, bytes[key + 3] == 0x22 {
                            return k
                        }
                        fallback = fallback ?? k
                    }
                }
            }
            i += 1
        }
        return fallback
    }
}

/// Awards read from one source, with the grants set aside and how many there were in all.
struct ParsedAwards {
    var table: AwardTable
    /// Grants (or rows) read, good and bad.
    var records: Int
    var quarantine: [QuarantineEntry]
}
