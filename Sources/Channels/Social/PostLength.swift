import Foundation

/// How long a post is, in each service's own unit, so that a digest is split into posts the service accepts.
///
/// Each count is what the service's reference implementation computes, checked against those implementations
/// by `PostLengthTests`. Where the answer depends on data we do not carry (twitter-text's list of top-level
/// domains), every possible answer is counted and the largest kept: a post we believe fits then always fits.
public enum PostLength {
    /// Mastodon's StatusLengthValidator: grapheme clusters of the text after every scheme URL is replaced
    /// by `urlLength` characters and every `@user@domain` mention by `@user`.
    ///
    /// URLs are found as twitter-text finds them (Mastodon's validator uses its extractor), mentions as
    /// Mastodon's own pattern does. Graphemes are counted as in ``graphemes(_:)``.
    public static func mastodon(_ text: String, urlLength: Int = 23) -> Int {
        mastodonMeasure(text, urlLength: urlLength).length
    }

    /// Bluesky's count: extended grapheme clusters (the limit is 300, and 3,000 UTF-8 bytes).
    ///
    /// Counted without the Indic conjunct rule of Unicode 15.1 (GB9c), as segmenters built on older Unicode do
    /// (Python's `grapheme`, Ruby's on Unicode 15.0, older JavaScript libraries): "क्ष" is two clusters here,
    /// one for Swift. A segmenter with the rule never counts more, so the older count is the safe one to split by.
    public static func graphemes(_ text: String) -> Int {
        guard text.unicodeScalars.contains(where: { (0x900...0xD7F).contains($0.value) }) else {
            return text.count
        }
        var count = 0
        for character in text {
            count += 1
            let scalars = character.unicodeScalars
            guard scalars.count > 2 else { continue }
            var previous: Unicode.Scalar?
            for scalar in scalars {
                if let previous, joinedOnlyAsConjunct(previous, scalar) { count += 1 }
                previous = scalar
            }
        }
        return count
    }

    /// twitter-text v3's weighted length of `text` (exactly what `twitter_text.parse_tweet(text).weightedLength`
    /// returns in the PyPI package twitter-text-parser): NFC first; each URL 23; each emoji (incl. ZWJ
    /// sequences, skin tones, flags, keycaps) 2; other code points 1 in the v3 ranges
    /// [0–4351], [8192–8205], [8208–8223], [8242–8247], else 2.
    ///
    /// Emoji are those of Emoji 12.0, the version twitter-text ships: a newer emoji weighs 2 per code point,
    /// and a zero-width joiner inside a sequence it does not know weighs 1.
    public static func x(_ text: String) -> Int {
        xMeasure(text).length
    }

    /// The X count and whether it is exact (false when an unknown top-level domain made us take the larger
    /// of several possible counts).
    static func xMeasure(_ text: String) -> (length: Int, exact: Bool) {
        let normalised = text.unicodeScalars.allSatisfy(isNormalised) ? text : text.precomposedStringWithCanonicalMapping
        var s: [Unicode.Scalar] = []
        s.reserveCapacity(normalised.unicodeScalars.count)
        var afterCR = false
        for scalar in normalised.unicodeScalars {
            if !(scalar == "\n" && afterCR) { s.append(scalar == "\r" ? "\n" : scalar) }
            afterCR = scalar == "\r"
        }
        let emoji = TwitterEmoji.matches(s)
        return largest(s, fallback: { upperBoundX(s) }) { urls in
            var total = 0
            var i = 0
            var next = 0
            while i < s.count {
                while next < urls.count, urls[next].start < i { next += 1 }
                if next < urls.count, urls[next].start == i {
                    total += 23
                    i += max(urls[next].skip, 1)
                } else if emoji[i] > 0 {
                    total += 2
                    i += Int(emoji[i])
                } else {
                    total += weight(s[i])
                    i += 1
                }
            }
            return total
        }
    }

    /// The Mastodon count and whether it is exact.
    static func mastodonMeasure(_ text: String, urlLength: Int) -> (length: Int, exact: Bool) {
        let s = Array(text.unicodeScalars)
        let mentions = TextEntities.mentionRanges(s)
        let placeholder = String(repeating: "x", count: urlLength)
        let rewrite = { (urls: [FoundURL]) -> Int in
            var entities = mentions
            for url in urls where url.hasScheme { entities.append((url.start..<url.end, -1)) }
            guard !entities.isEmpty else { return graphemes(text) }
            entities.sort { $0.range.lowerBound < $1.range.lowerBound }
            // Offsets only grow, so one cursor walks the text once.
            var cursor = (offset: 0, index: text.startIndex)
            func index(_ offset: Int) -> String.Index {
                cursor.index = text.unicodeScalars.index(cursor.index, offsetBy: offset - cursor.offset)
                cursor.offset = offset
                return cursor.index
            }
            var out = ""
            out.reserveCapacity(text.utf8.count)
            var at = text.startIndex
            var atOffset = 0
            for entity in entities where entity.range.lowerBound >= atOffset {
                let start = index(entity.range.lowerBound)
                out += text[at..<start]
                out += entity.counted < 0 ? placeholder[...] : text[start..<index(entity.range.lowerBound + entity.counted)]
                at = index(entity.range.upperBound)
                atOffset = entity.range.upperBound
            }
            out += text[at...]
            return graphemes(out)
        }
        var schemes = 0
        for i in s.indices.dropFirst(2) where s[i] == "/" && s[i - 1] == "/" && s[i - 2] == ":" { schemes += 1 }
        // Scalars, not characters: "://" followed by a combining mark or skin tone is no substring of `text`.
        guard schemes > 0 else { return (rewrite([]), true) }
        return largest(s, fallback: { graphemes(text) + 14 * schemes }, rewrite)
    }

    /// The largest of `count` over every answer the unknown top-level domains in `s` may get.
    ///
    /// The URLs are found once assuming no unknown label is a top-level domain; each unknown label met is
    /// then also tried as one, in every combination (new labels met on the way join in). Beyond six unknown
    /// labels `fallback`, a coarser upper bound, is used. The count is exact when every combination agrees.
    private static func largest(_ s: [Unicode.Scalar], fallback: () -> Int, _ count: ([FoundURL]) -> Int) -> (length: Int, exact: Bool) {
        var scanner = URLScanner(s)
        var best = count(scanner.urls())
        let first = best
        var keys = scanner.uncertain.sorted()
        guard !keys.isEmpty else { return (best, true) }
        guard keys.count <= 6 else { return (max(best, fallback()), false) }
        var subset = 1
        var agree = true
        while subset < 1 << keys.count {
            var world = URLScanner(s, assumed: Set(keys.indices.filter { subset >> $0 & 1 == 1 }.map { keys[$0] }))
            let value = count(world.urls())
            best = max(best, value)
            agree = agree && value == first
            let fresh = world.uncertain.subtracting(keys)
            if fresh.isEmpty {
                subset += 1
            } else {
                keys += fresh.sorted()
                guard keys.count <= 6 else { return (max(best, fallback()), false) }
                subset = 1
            }
        }
        return (best, agree)
    }

    /// An upper bound of the X count whatever the URLs: every code point alone (© and ® as emoji), plus the
    /// most a URL can add over its own characters (23 for at least four) once per `.`.
    private static func upperBoundX(_ s: [Unicode.Scalar]) -> Int {
        s.reduce(0) { $0 + ($1.value == 0xA9 || $1.value == 0xAE ? 2 : weight($1)) } + 19 * s.filter { $0 == "." }.count
    }

    /// Whether NFC leaves `scalar` alone whatever surrounds it: Latin-1, punctuation, symbols, kana, Han, Hangul
    /// syllables, emoji. Text of only these skips Foundation's normalisation, the costliest step of the X count.
    private static func isNormalised(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300, 0x2002...0x20CF, 0x2190...0x2BFF, 0x3000...0x3098, 0x309B...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
             0xFE00...0xFE0F, 0x1F000...0x1FAFF, 0xE0020...0xE007F: true
        default: false
        }
    }

    /// twitter-text v3's weight of a code point outside URLs and emoji.
    static func weight(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0...4351, 8192...8205, 8208...8223, 8242...8247: 1
        default: 2
        }
    }

    /// Whether `scalar` is in the same cluster as `previous` only by the Indic conjunct rule GB9c: a letter
    /// after an extending character (combining mark, skin tone) or joiner. Only GB9c joins those; Thai and Lao
    /// AM are letters that join as spacing marks.
    private static func joinedOnlyAsConjunct(_ previous: Unicode.Scalar, _ scalar: Unicode.Scalar) -> Bool {
        guard scalar.properties.generalCategory == .otherLetter, scalar.value != 0xE33, scalar.value != 0xEB3 else { return false }
        return previous.value == 0x200D || previous.properties.isGraphemeExtend || previous.properties.isEmojiModifier
    }
}

/// The emoji twitter-text counts as one character: the sequences of Emoji 12.0's `emoji-test.txt`.
///
/// twitter-text-parser matches, at each position, the longest listed multi-code-point sequence, else a listed
/// single emoji. The sequences are rebuilt here from Unicode properties and the structure of the 12.0 list
/// (keycaps, flags, skin tones, presentation selectors, and the zero-width-joiner families below).
enum TwitterEmoji {
    /// For each offset of `s`, the length of the emoji starting there (0 for none), scanning as `finditer`.
    static func matches(_ s: [Unicode.Scalar]) -> [Int8] {
        var out = [Int8](repeating: 0, count: s.count)
        var i = 0
        while i < s.count {
            let v = s[i].value
            guard v >= 0xA9 || v == 0x23 || v == 0x2A || (0x30...0x39).contains(v) else {
                i += 1
                continue
            }
            var node = 0
            var longest = 0
            var j = i
            while j < s.count, let child = trie.children[node][s[j].value] {
                node = child
                j += 1
                if trie.terminal[node] { longest = j - i }
            }
            if longest > 1 {
                out[i] = Int8(longest)
                i += longest
            } else {
                if s[i].value == 0xA9 || s[i].value == 0xAE { out[i] = 1 }
                i += 1
            }
        }
        return out
    }

    /// The multi-code-point sequences as a trie (node 0 is the root).
    static let trie: (children: [[UInt32: Int]], terminal: [Bool]) = {
        var children: [[UInt32: Int]] = [[:]]
        var terminal = [false]
        for sequence in sequences() {
            var node = 0
            for value in sequence {
                if let child = children[node][value] {
                    node = child
                } else {
                    children.append([:])
                    terminal.append(false)
                    children[node][value] = children.count - 1
                    node = children.count - 1
                }
            }
            terminal[node] = true
        }
        return (children, terminal)
    }()

    private static let zwj: UInt32 = 0x200D, vs16: UInt32 = 0xFE0F
    private static let tones: [UInt32] = Array(0x1F3FB...0x1F3FF)

    private static func isEmoji12(_ v: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(v), let age = scalar.properties.age, (age.major, age.minor) <= (12, 0),
              scalar.properties.isEmoji, v != 0x26A7 else { return false }
        return !(0x30...0x39).contains(v) && v != 0x23 && v != 0x2A && !(0x1F1E6...0x1F1FF).contains(v)
            && !tones.contains(v) && !(0x1F9B0...0x1F9B3).contains(v)
    }

    private static func textDefault(_ v: UInt32) -> Bool { !(Unicode.Scalar(v)?.properties.isEmojiPresentation ?? true) }

    /// Emoji 12.0 modifier bases (six newer bases excluded by hand).
    private static func takesTone(_ v: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(v), let age = scalar.properties.age, (age.major, age.minor) <= (12, 0) else { return false }
        return scalar.properties.isEmojiModifierBase && ![0x1F46A, 0x1F46F, 0x1F48F, 0x1F491, 0x1F91D, 0x1F93C].contains(v)
    }

    private static func sequences() -> [[UInt32]] {
        let candidates = Array(0xA9...0x3299) + Array(0x1F000...0x1FAFF)
        var out: [[UInt32]] = []
        for key in "#*0123456789".unicodeScalars.map(\.value) { out += [[key, vs16, 0x20E3], [key, 0x20E3]] }
        for region in TopLevelDomains.isoRegions + ["ac", "cp", "dg", "ea", "eu", "ic", "ta", "un", "xk"] {
            out.append(region.unicodeScalars.map { $0.value - 0x61 + 0x1F1E6 })
        }
        for nation in ["gbeng", "gbsct", "gbwls"] { out.append([0x1F3F4] + nation.unicodeScalars.map { $0.value + 0xE0000 } + [0xE007F]) }
        for v in candidates where isEmoji12(UInt32(v)) {
            if takesTone(UInt32(v)) { out += tones.map { [UInt32(v), $0] } }
            if textDefault(UInt32(v)) { out.append([UInt32(v), vs16]) }
        }
        // Fully-qualified joiner sequences; the list also holds every form missing some of their U+FE0F.
        var joined: [[UInt32]] = []
        func person(_ v: UInt32) -> [[UInt32]] { [textDefault(v) ? [v, vs16] : [v]] + (takesTone(v) ? tones.map { [v, $0] } : []) }
        let gendered: [UInt32] = [
            0x1F64D, 0x1F64E, 0x1F645, 0x1F646, 0x1F481, 0x1F64B, 0x1F9CF, 0x1F647, 0x1F926, 0x1F937, 0x1F46E, 0x1F575, 0x1F482,
            0x1F477, 0x1F473, 0x1F471, 0x1F9B8, 0x1F9B9, 0x1F9D9, 0x1F9DA, 0x1F9DB, 0x1F9DC, 0x1F9DD, 0x1F9DE, 0x1F9DF, 0x1F486,
            0x1F487, 0x1F6B6, 0x1F9CD, 0x1F9CE, 0x1F3C3, 0x1F46F, 0x1F9D6, 0x1F9D7, 0x1F3CC, 0x1F3C4, 0x1F6A3, 0x1F3CA, 0x26F9,
            0x1F3CB, 0x1F6B4, 0x1F6B5, 0x1F938, 0x1F93C, 0x1F93D, 0x1F93E, 0x1F939, 0x1F9D8,
        ]
        for base in gendered {
            for form in person(base) { joined += [form + [zwj, 0x2640, vs16], form + [zwj, 0x2642, vs16]] }
        }
        let roles: [UInt32] = [0x2695, 0x2696, 0x2708, 0x1F393, 0x1F3EB, 0x1F33E, 0x1F373, 0x1F527, 0x1F3ED, 0x1F4BC, 0x1F52C, 0x1F4BB,
                               0x1F3A4, 0x1F3A8, 0x1F680, 0x1F692, 0x1F9AF, 0x1F9BC, 0x1F9BD, 0x1F9B0, 0x1F9B1, 0x1F9B2, 0x1F9B3]
        let man: UInt32 = 0x1F468, woman: UInt32 = 0x1F469, adult: UInt32 = 0x1F9D1, handshake: UInt32 = 0x1F91D
        for base in [man, woman] {
            for form in person(base) { joined += roles.map { form + [zwj, $0] + (textDefault($0) ? [vs16] : []) } }
        }
        joined.append([adult, zwj, handshake, zwj, adult])
        let pairs: [(UInt32, UInt32, (Int, Int) -> Bool)] = [(adult, adult, { $1 <= $0 }), (woman, woman, { $1 < $0 }),
                                                             (man, man, { $1 < $0 }), (woman, man, { $1 != $0 })]
        for (left, right, allowed) in pairs {
            for first in 0..<5 { for second in 0..<5 where allowed(first, second) {
                joined.append([left, tones[first], zwj, handshake, zwj, right, tones[second]])
            } }
        }
        for (left, right) in [(woman, man), (man, man), (woman, woman)] {
            joined += [[left, zwj, 0x2764, vs16, zwj, 0x1F48B, zwj, right], [left, zwj, 0x2764, vs16, zwj, right]]
        }
        let boy: UInt32 = 0x1F466, girl: UInt32 = 0x1F467
        for parents in [[man, woman], [man, man], [woman, woman], [man], [woman]] {
            for children in [[boy], [girl], [girl, boy], [boy, boy], [girl, girl]] {
                joined.append(Array((parents + children).map { [$0] }.joined(separator: [zwj])))
            }
        }
        joined += [[0x1F441, vs16, zwj, 0x1F5E8, vs16], [0x1F415, zwj, 0x1F9BA], [0x1F3F3, vs16, zwj, 0x1F308]]
        joined.append([0x1F3F4, zwj, 0x2620, vs16])
        for sequence in joined {
            var forms: [[UInt32]] = [[]]
            for value in sequence { forms = value == vs16 ? forms.flatMap { [$0 + [value], $0] } : forms.map { $0 + [value] } }
            out += forms
        }
        return out
    }
}
