/// Entities found in post text.
///
/// The services shorten URLs and mentions when they count a post, so the counts in ``PostLength`` must find
/// exactly the entities the services find. Each finder replays the service's reference pattern (twitter-text,
/// Mastodon) by hand over the text's code points, in one linear pass and without a regular-expression
/// engine, whose start-up cost shows when a long digest is measured thousands of times while it is split.
public enum TextEntities {
    /// Ranges of URLs that start with a scheme (`http://` or `https://`, case-insensitive), as Mastodon
    /// and twitter-text delimit them: trailing punctuation such as `.` `,` `;` `:` `!` `?` `'` `"` and an
    /// unbalanced `)` are not part of the URL (a URL inside "(https://x.org/a)" excludes the parenthesis,
    /// but "https://en.wikipedia.org/wiki/Foo_(bar)" keeps its balanced parenthesis).
    ///
    /// A host on a top-level domain we cannot vouch for (see `TopLevelDomains`) is taken to be one, so
    /// that a link is never cut or left without its facet.
    public static func schemeURLs(in text: String) -> [Range<String.Index>] {
        ranges(in: text, URLScanner.extract(Array(text.unicodeScalars), assumeAll: true).filter(\.hasScheme).map { $0.start..<$0.end })
    }

    /// Ranges of every URL twitter-text would extract, including scheme-less ones like `gov.uk/news`
    /// or `example.org` on a valid top-level domain. As in ``schemeURLs(in:)``, an uncertain top-level
    /// domain counts as one.
    public static func twitterURLs(in text: String) -> [Range<String.Index>] {
        ranges(in: text, URLScanner.extract(Array(text.unicodeScalars), assumeAll: true).map { $0.start..<$0.end })
    }

    /// Ranges of hashtags, including the `#`: `#` at the start or after a character that is not a letter,
    /// digit, `_` or `&`, followed by letters/digits/marks/`_` with at least one non-digit
    /// (as twitter-text's hashtag extractor delimits them; `#1` is not a hashtag, `#NHS75` is).
    /// Hashtags inside a URL are not hashtags, as in twitter-text.
    public static func hashtags(in text: String) -> [Range<String.Index>] {
        let scalars = Array(text.unicodeScalars)
        let urls = URLScanner.extract(scalars, assumeAll: true)
        let tags = hashtagRanges(scalars).filter { tag in !urls.contains { $0.start < tag.upperBound && tag.lowerBound < $0.end } }
        return ranges(in: text, tags)
    }

    /// Ranges of Mastodon mentions `@user@domain` (and `@user`), as Mastodon's `Account::MENTION_RE`
    /// finds them: not after `=`, `/` or a word character, and not followed by `@`, an accented Latin
    /// letter or `://`.
    public static func mentions(in text: String) -> [Range<String.Index>] {
        ranges(in: text, mentionRanges(Array(text.unicodeScalars)).map(\.range))
    }

    /// Scalar offsets as ranges of `text`.
    static func ranges(in text: String, _ offsets: [Range<Int>]) -> [Range<String.Index>] {
        guard !offsets.isEmpty else { return [] }
        let indices = Array(text.unicodeScalars.indices) + [text.endIndex]
        return offsets.map { indices[$0.lowerBound]..<indices[$0.upperBound] }
    }

    /// twitter-text's hashtags as scalar offsets.
    static func hashtagRanges(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < s.count {
            let hash = s[i] == "#" || s[i] == "\u{FF03}"
            let boundary = i == 0 || s[i - 1] == "\u{FE0E}" || s[i - 1] == "\u{FE0F}" || !(isHashtagChar(s[i - 1]) || s[i - 1] == "&")
            guard hash, boundary, i + 1 < s.count, s[i + 1] != "\u{FE0F}", s[i + 1] != "\u{20E3}" else {
                i += 1
                continue
            }
            var end = i + 1
            var letters = false
            while end < s.count, isHashtagChar(s[end]) {
                letters = letters || isLetterOrMark(s[end])
                end += 1
            }
            guard letters else {
                i += 1
                continue
            }
            let after = s[end...]
            if !(after.first == "#" || after.first == "\u{FF03}" || after.starts(with: ["\u{3A}", "/", "/"])) {
                out.append(i..<end)
            }
            i = end
        }
        return out
    }

    private static func isLetterOrMark(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func isHashtagChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x5F, 0x200C, 0x200D, 0xA67E, 0x5BE, 0x5F3, 0x5F4, 0xFF5E, 0x301C, 0x309B, 0x309C, 0x30A0, 0x30FB, 0x3003, 0xF0B, 0xF0C, 0xB7:
            true
        default: isLetterOrMark(c) || c.properties.generalCategory == .decimalNumber
        }
    }

    /// Mastodon's mentions as scalar offsets, with the length of the `@user` they count as.
    static func mentionRanges(_ s: [Unicode.Scalar]) -> [(range: Range<Int>, counted: Int)] {
        // Ruby's case-insensitive [a-z] also takes the Kelvin sign and the long s (not the Turkish i's).
        func isUserChar(_ c: Unicode.Scalar) -> Bool { c.isFoldedASCIIAlphanumeric && c.value != 0x130 && c.value != 0x131 || c == "_" }
        func isWordChar(_ c: Unicode.Scalar) -> Bool {
            isLetterOrMark(c) || [.decimalNumber, .connectorPunctuation].contains(c.properties.generalCategory)
        }
        /// The end of `first+ ([.-]+ first+)*` from `i`, greedy as Ruby's engine takes it.
        func dotted(_ i: Int, _ first: (Unicode.Scalar) -> Bool) -> Int {
            var end = i
            while end < s.count, first(s[end]) { end += 1 }
            guard end > i else { return i }
            while true {
                var j = end
                while j < s.count, s[j] == "." || s[j] == "-" { j += 1 }
                guard j > end, j < s.count, first(s[j]) else { return end }
                while j < s.count, first(s[j]) { j += 1 }
                end = j
            }
        }
        var out: [(Range<Int>, Int)] = []
        var i = 0
        while i < s.count {
            guard s[i] == "@", i == 0 || !(s[i - 1] == "=" || s[i - 1] == "/" || isWordChar(s[i - 1])) else {
                i += 1
                continue
            }
            let userEnd = dotted(i + 1, isUserChar)
            guard userEnd > i + 1 else {
                i += 1
                continue
            }
            var end = userEnd
            if end + 1 < s.count, s[end] == "@", isWordChar(s[end + 1]) { end = dotted(end + 1, isWordChar) }
            let next = end < s.count ? s[end] : nil
            let rejected = next == "@" || next == "\u{FF20}" || next.map(URLScanner.isLatinAccent) == true
                || s[end...].starts(with: ["\u{3A}", "/", "/"])
            if !rejected { out.append((i..<end, userEnd - i)) }
            i = end
        }
        return out
    }
}

/// One URL as twitter-text extracts it, in scalar offsets.
struct FoundURL: Equatable {
    var start: Int
    var end: Int
    /// How many code points `parse_tweet` skips for it: its length, except for a scheme-less URL whose host
    /// starts with other text ("日本example.com/a"), where twitter-text measures the URL with that text removed.
    var skip: Int
    var hasScheme: Bool
}

/// twitter-text's URL extraction (`extract_urls_with_indices`), replayed over code points.
///
/// It follows the reference pattern's backtracking exactly: a match starts after a preceding character
/// that is not a letter, digit, `@`, `$` or `#`; the host is the longest run of labels that ends on a known
/// top-level domain; the path ends on a letter, digit, `/`, `=`, `+`, `-`, `_`, `#` or a balanced
/// parenthesis; the query ends on a letter, digit, `/`, `=`, `-`, `_`, `&` or `#`. Scheme-less hosts keep
/// only their ASCII part, and only when not preceded by `-`, `_`, `.` or `/`. A top-level domain we cannot
/// vouch for is decided by `assumed` (keys of `TopLevelDomains.Verdict.maybe`); the keys met are recorded
/// in `uncertain`, so a caller can count every possible answer.
struct URLScanner {
    let s: [Unicode.Scalar]
    var assumed: Set<String> = []
    var assumeAll = false
    /// The `maybe` keys met so far.
    var uncertain: Set<String> = []
    /// For each offset, where the run of label characters starting there ends (with `_`, and without).
    private var subdomainRunEnd: [Int] = []
    private var nameRunEnd: [Int] = []

    init(_ s: [Unicode.Scalar], assumed: Set<String> = [], assumeAll: Bool = false) {
        self.s = s
        self.assumed = assumed
        self.assumeAll = assumeAll
    }

    static func extract(_ s: [Unicode.Scalar], assumeAll: Bool) -> [FoundURL] {
        var scanner = URLScanner(s, assumeAll: assumeAll)
        return scanner.urls()
    }

    /// Every URL, left to right, as `finditer` finds them.
    mutating func urls() -> [FoundURL] {
        guard s.contains(".") else { return [] }
        subdomainRunEnd = Array(repeating: s.count, count: s.count + 1)
        nameRunEnd = subdomainRunEnd
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            let domain = Self.isDomainChar(s[i])
            subdomainRunEnd[i] = domain || s[i] == "_" || s[i] == "-" ? subdomainRunEnd[i + 1] : i
            nameRunEnd[i] = domain || s[i] == "-" ? nameRunEnd[i + 1] : i
        }
        var out: [FoundURL] = []
        var start = 0
        search: while start < s.count {
            for at in start..<s.count {
                var match: (end: Int, urls: [FoundURL])?
                if Self.isPreceding(s[at]) { match = url(at: at + 1, before: s[at]) }
                if match == nil, at == 0 { match = url(at: 0, before: nil) }
                if let match {
                    out += match.urls
                    start = match.end
                    continue search
                }
            }
            break
        }
        return out
    }

    /// The match of the URL part of the pattern at `u`: where it ends, and the URLs kept from it.
    private mutating func url(at u: Int, before: Unicode.Scalar?) -> (end: Int, urls: [FoundURL])? {
        guard u < s.count else { return nil }
        let scheme = schemeLength(at: u)
        if scheme > 0, let host = hostEnd(from: u + scheme, scheme: true) {
            return finish(u, scheme: scheme, host: (u + scheme)..<host, before: before)
        }
        return hostEnd(from: u, scheme: false).map { finish(u, scheme: 0, host: u..<$0, before: before) }
    }

    private func schemeLength(at u: Int) -> Int {
        guard u + 7 <= s.count, s[u].foldedASCIILowercase == "h", s[u + 1].foldedASCIILowercase == "t",
              s[u + 2].foldedASCIILowercase == "t", s[u + 3].foldedASCIILowercase == "p" else { return 0 }
        let colon = s[u + 4].foldedASCIILowercase == "s" ? u + 5 : u + 4
        return colon + 3 <= s.count && s[colon] == ":" && s[colon + 1] == "/" && s[colon + 2] == "/" ? colon + 3 - u : 0
    }

    /// Port, path and query after the host, then twitter-text's checks on the whole match.
    private mutating func finish(_ u: Int, scheme: Int, host: Range<Int>, before: Unicode.Scalar?) -> (end: Int, urls: [FoundURL]) {
        var end = host.upperBound
        if end + 1 < s.count, s[end] == ":", (0x30...0x39).contains(s[end + 1].value) {
            end += 1
            while end < s.count, (0x30...0x39).contains(s[end].value) { end += 1 }
        }
        let hasPath = end < s.count && s[end] == "/"
        if hasPath { end = pathEnd(from: end + 1) }
        if end < s.count, s[end] == "?", let query = queryEnd(from: end + 1, limit: s.count) { end = query }
        let encoded: Int
        switch TopLevelDomains.encoding(of: s[host]) {
        case .invalid: return (end, [])
        case .valid(let length): encoded = length
        case .uncertain:
            guard decide(.maybe("idna:" + String(String.UnicodeScalarView(s[host])))) else { return (end, []) }
            encoded = host.count
        }
        guard (scheme > 0 ? scheme : 8) + (end - u) + encoded - host.count <= 4096 else { return (end, []) }
        if scheme > 0 {
            let kept = shortLink(u, scheme: scheme, end: end)
            return (end, kept.map { [FoundURL(start: u, end: $0, skip: $0 - u, hasScheme: true)] } ?? [])
        }
        if let before, "-_./".unicodeScalars.contains(before) { return (end, []) }
        var found: [FoundURL] = []
        var at = host.lowerBound
        while at < host.upperBound {
            if let stop = asciiHostEnd(from: at, limit: host.upperBound) {
                found.append(FoundURL(start: at, end: stop, skip: stop - at, hasScheme: false))
                at = stop
            } else {
                at += 1
            }
        }
        if hasPath, let last = found.last {
            let removed = host.count - (last.end - last.start)
            var occurrences = 0
            if removed > 0 {
                var i = u
                while i + host.count <= end {
                    if s[i..<(i + host.count)].elementsEqual(s[host]) { occurrences += 1; i += host.count } else { i += 1 }
                }
            }
            found[found.count - 1].end = end
            found[found.count - 1].skip = (end - u) - occurrences * removed
        }
        return (end, found)
    }

    /// A t.co link keeps only its slug (and query); a slug over 40 characters is no link at all.
    private func shortLink(_ u: Int, scheme: Int, end: Int) -> Int? {
        let host = Array("t.co/".unicodeScalars)
        guard u + scheme + 5 <= end, zip(s[(u + scheme)...], host).allSatisfy({ $0.foldedASCIILowercase == $1 }) else { return end }
        var slug = u + scheme + 5
        while slug < end, s[slug].isFoldedASCIIAlphanumeric { slug += 1 }
        guard slug > u + scheme + 5 else { return end }
        guard slug - (u + scheme + 5) <= 40 else { return nil }
        if slug < end, s[slug] == "?", let query = queryEnd(from: slug + 1, limit: end) { return query }
        return slug
    }

    /// The end of the host starting at `d`: as many labels as possible before a known top-level domain.
    private mutating func hostEnd(from d: Int, scheme: Bool) -> Int? {
        guard let second = label(at: d, runs: subdomainRunEnd) else {
            return label(at: d, runs: nameRunEnd).flatMap { topLevelDomainEnd(at: $0, limit: s.count, host: scheme ? nil : d) }
        }
        var starts = [d, second]
        while let next = label(at: starts[starts.count - 1], runs: subdomainRunEnd) { starts.append(next) }
        for start in starts.reversed() {
            if let tld = label(at: start, runs: nameRunEnd),
               let end = topLevelDomainEnd(at: tld, limit: s.count, host: scheme ? nil : d) { return end }
        }
        return nil
    }

    /// The offset after `label.` at `p`, if a label (starting and ending with a domain character) is there.
    private func label(at p: Int, runs: [Int]) -> Int? {
        guard p < s.count, Self.isDomainChar(s[p]) else { return nil }
        let end = runs[p]
        guard end < s.count, s[end] == ".", Self.isDomainChar(s[end - 1]) else { return nil }
        return end + 1
    }

    /// `valid_ascii_domain` at `p`, within the host that ends at `limit`.
    private mutating func asciiHostEnd(from p: Int, limit: Int) -> Int? {
        var starts: [Int] = []
        var at = p
        while true {
            var end = at
            while end < limit, s[end].isFoldedASCIIAlphanumeric || s[end] == "-" || Self.isLatinAccent(s[end]) { end += 1 }
            guard end > at, end < limit, s[end] == "." else { break }
            at = end + 1
            starts.append(at)
        }
        for start in starts.reversed() {
            if let end = topLevelDomainEnd(at: start, limit: limit, host: nil) { return end }
        }
        return nil
    }

    /// The end of a URL path starting after its `/`. twitter-text's path pattern splices an alternation into a
    /// sequence, so each step of the path is either path characters and balanced parentheses up to the last
    /// letter, digit, `/`, `=`, `+`, `-`, `_` or `#` outside the parentheses, or a lone balanced parenthesis.
    /// (Its third form, `@` and characters up to a `/`, can only match where the first already has.)
    private func pathEnd(from p: Int) -> Int {
        var at = p
        while at < s.count {
            var scan = at
            var last: Int?
            while true {
                while scan < s.count, Self.isPathChar(s[scan]) {
                    if Self.isPathEnding(s[scan]) { last = scan + 1 }
                    scan += 1
                }
                guard scan < s.count, s[scan] == "(", let close = balancedParenthesisEnd(scan) else { break }
                scan = close
            }
            if let last {
                at = last
            } else if s[at] == "(", let close = balancedParenthesisEnd(at) {
                at = close
            } else {
                break
            }
        }
        return at
    }

    /// `(chars)` or `(chars(chars)chars)` at `p`.
    private func balancedParenthesisEnd(_ p: Int) -> Int? {
        func run(_ i: Int) -> Int {
            var end = i
            while end < s.count, Self.isPathChar(s[end]) { end += 1 }
            return end
        }
        let inner = run(p + 1)
        guard inner < s.count else { return nil }
        if inner > p + 1, s[inner] == ")" { return inner + 1 }
        guard s[inner] == "(" else { return nil }
        let nested = run(inner + 1)
        guard nested > inner + 1, nested < s.count, s[nested] == ")" else { return nil }
        let tail = run(nested + 1)
        return tail < s.count && s[tail] == ")" ? tail + 1 : nil
    }

    /// The end of a query starting after its `?`: the last character that may end one, or nil.
    private func queryEnd(from p: Int, limit: Int) -> Int? {
        var at = p
        var last: Int?
        while at < limit, s[at].isFoldedASCIIAlphanumeric || "!?*'@();:&=+$/%#[]-_.,~|".unicodeScalars.contains(s[at]) {
            if s[at].isFoldedASCIIAlphanumeric || "-_&=#/".unicodeScalars.contains(s[at]) { last = at + 1 }
            at += 1
        }
        return last
    }

    static func isLatinAccent(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272,
             0x289, 0x28B, 0x2BB, 0x300...0x36F, 0x1E00...0x1EFF: true
        default: false
        }
    }

    /// Anything but twitter-text's punctuation, spaces, directional marks and invalid characters.
    static func isDomainChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x21, 0x23...0x2F, 0x3A...0x40, 0x5B...0x5F, 0x7B...0x7E, 0x85, 0xA0, 0x1680, 0x180E,
             0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x61C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069,
             0xFEFF, 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// What may stand before a URL: not a letter or digit, `@`, `$`, `#` (or their full-width forms).
    static func isPreceding(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x40, 0xFF20, 0x24, 0x23, 0xFF03, 0xFFFE, 0xFEFF, 0xFFFF: false
        default: !c.isFoldedASCIIAlphanumeric
        }
    }

    static func isPathChar(_ c: Unicode.Scalar) -> Bool {
        c.isFoldedASCIIAlphanumeric || (0x400...0x4FF).contains(c.value) || isLatinAccent(c) || c == "\u{2013}"
            || "!*';:=+,.$/%#[]-_~@|&".unicodeScalars.contains(c)
    }

    static func isPathEnding(_ c: Unicode.Scalar) -> Bool {
        c.isFoldedASCIIAlphanumeric || (0x400...0x4FF).contains(c.value) || isLatinAccent(c) || "+-=_#/".unicodeScalars.contains(c)
    }
}
