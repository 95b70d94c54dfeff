import Foundation

/// What Herald knows about top-level domains, for finding URLs the way twitter-text does.
///
/// twitter-text only treats `something.tld` as a URL when `tld` is on its own list of about 1,500
/// top-level domains. We do not carry that list. We carry a short list of our own instead: generic TLDs
/// that are common in the text Herald posts, and the ISO 3166 country codes. A label on one of them is
/// certainly a TLD for twitter-text (the test suite checks that every entry is on twitter-text's list).
/// Any other alphabetic label, and any label in a non-Latin script, *might* be one: callers then count
/// the text both ways and keep the larger count, so that a post we believe fits never exceeds the limit.
enum TopLevelDomains {
    /// Whether a candidate label is a TLD for twitter-text.
    enum Verdict: Equatable {
        /// It is on twitter-text's list.
        case yes
        /// It cannot be on the list (one letter, over 24, or not all letters).
        case no
        /// We do not know: it is checked both ways under this key.
        case maybe(String)
    }

    /// The verdict for an ASCII label `label` (any case).
    static func verdict(ascii label: some Collection<Unicode.Scalar>) -> Verdict {
        guard (2...24).contains(label.count), label.allSatisfy(\.isFoldedASCIILetter) else { return .no }
        let lower = String(String.UnicodeScalarView(label.map { $0.foldedASCIILowercase }))
        if lower.count == 2 ? countryCodes.contains(lower) : generic.contains(lower) { return .yes }
        return .maybe(lower)
    }

    /// Generic TLDs common in British and international grant, charity and public-sector text.
    static let generic: Set<String> = Set("""
        com net org edu gov mil int info biz name pro aero asia cat coop jobs mobi museum tel travel xxx app dev
        page blog news online site tech store shop website space live cloud digital media agency studio design
        art group global world social network solutions services support systems software company business
        email link click today life community foundation fund finance capital money bank health care education
        school academy college university london wales cymru scot eus bzh berlin paris nyc amsterdam brussels
        tokyo africa earth green eco energy science institute center events legal law consulting partners
        ventures holdings ltd limited inc llc gmbh xyz top club vip win one new guide help report press church
        city town wiki works zone team tips tools training video watch family farm film gallery games garden
        gifts gold golf house how land love market marketing menu photo photography pictures place
        plus productions properties property pub recipes red rent repair rocks sale show ski sport style
        supply tax taxi technology theater tickets tours toys trade vegas vet vision vote voting wedding wine
        work yoga charity gay moe ngo ong radio bar bio buy car cars day dog fan fit fun fyi hot ink kim
        map men mom pet run soy tube you zip
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// ISO 3166-1 alpha-2 codes, all also country-code TLDs.
    static let isoRegions: [String] = """
        ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by bz
        ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk fm fo
        fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je
        jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo
        mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw
        py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm
        tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Country-code TLDs: the ISO codes and the few reserved codes that also have a registry.
    static let countryCodes: Set<String> = Set(isoRegions + ["ac", "eu", "su", "uk"])

    /// The two TLDs on twitter-text's list that mix ASCII and accented Latin letters (German gTLDs).
    static let mixedLatin: [[Unicode.Scalar]] = ["vermögensberatung", "vermögensberater"].map { Array($0.unicodeScalars) }

    /// A rough script of a letter: its 128-character block, with the larger scripts' blocks merged. Every
    /// non-Latin TLD is written in one script, so a candidate never crosses from one into another.
    static func script(_ scalar: Unicode.Scalar) -> UInt32 {
        switch scalar.value {
        case 0x400...0x52F: 0x400
        case 0x600...0x6FF, 0x750...0x77F: 0x600
        case 0x3040...0x30FF: 0x3040
        case 0x3400...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: 0x4E00
        case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: 0xAC00
        default: (scalar.value >> 7) << 7
        }
    }

    /// The longest label in a non-Latin script that we consider as a possible TLD (the longest real one
    /// has 11 code points).
    static let longestNonLatin = 12
}

extension TopLevelDomains {
    /// How twitter-text's validity check (Python's IDNA 2003 codec) sees a domain.
    enum Encoding: Equatable {
        /// The codec refuses it, so twitter-text drops the URL.
        case invalid
        /// The codec accepts it; `length` is the length of its ASCII (punycode) form.
        case valid(length: Int)
        /// Our approximation of Unicode 3.2 nameprep is too close to call: counted both ways.
        case uncertain
    }

    /// The IDNA 2003 encoding of `domain`. twitter-text drops a URL whose host the codec refuses: a label
    /// over 63 characters, a prohibited character, mixed right-to-left and left-to-right letters. Those
    /// cases occur in real text when a long run of Chinese or Arabic runs into a domain without a space.
    static func encoding(of domain: ArraySlice<Unicode.Scalar>) -> Encoding {
        if domain.allSatisfy(\.isASCII) {
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            return labels.contains { $0.count > 63 } ? .invalid : .valid(length: domain.count)
        }
        var total = 0
        var uncertain = false
        for label in domain.split(omittingEmptySubsequences: false, whereSeparator: { [0x2E, 0x3002, 0xFF0E, 0xFF61].contains($0.value) }) {
            guard !label.isEmpty else { return .invalid }
            total += total > 0 ? 1 : 0
            if label.allSatisfy(\.isASCII) {
                guard label.count < 64 else { return .invalid }
                total += label.count
                continue
            }
            let mapped = nameprep(label)
            guard !mapped.isEmpty, !mapped.contains(where: isProhibited) else { return .invalid }
            if mapped.contains(where: isRightToLeft) {
                guard !mapped.contains(where: isLeftToRight), isRightToLeft(mapped[0]), isRightToLeft(mapped[mapped.count - 1]) else {
                    return .invalid
                }
            }
            if mapped.allSatisfy(\.isASCII) {
                guard mapped.count < 64 else { return .invalid }
                total += mapped.count
                continue
            }
            guard !(mapped.count >= 4 && String(String.UnicodeScalarView(mapped.prefix(4))) == "xn--") else { return .invalid }
            let length = 4 + punycodeLength(mapped)
            if abs(length - 63) <= 3 { uncertain = true }
            guard length < 64 || uncertain else { return .invalid }
            total += length
        }
        return uncertain ? .uncertain : .valid(length: total)
    }

    /// Nameprep, approximated: drop the characters mapped to nothing, fold case, NFKC. Python uses Unicode
    /// 3.2 tables; for the letters of living scripts the current ones give the same result.
    private static func nameprep(_ label: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        let kept = label.filter { scalar in
            let v = scalar.value
            return !(v == 0xAD || v == 0x34F || v == 0x1806 || (0x180B...0x180D).contains(v) || (0x200B...0x200D).contains(v)
                || v == 0x2060 || (0xFE00...0xFE0F).contains(v) || v == 0xFEFF)
        }
        let folded = String(String.UnicodeScalarView(kept)).lowercased().replacingOccurrences(of: "ß", with: "ss")
            .replacingOccurrences(of: "ς", with: "σ")
        return Array(folded.precomposedStringWithCompatibilityMapping.unicodeScalars)
    }

    /// RFC 3454 tables C.1.2 to C.9, the characters nameprep refuses.
    private static func isProhibited(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x80...0x9F, 0xA0, 0x340, 0x341, 0x6DD, 0x70F, 0x1680, 0x180E, 0x2000...0x200F, 0x2028...0x202F, 0x205F...0x2063,
             0x206A...0x206F, 0x2FF0...0x2FFB, 0x3000, 0xD800...0xF8FF, 0xFDD0...0xFDEF, 0xFEFF, 0xFFF9...0xFFFD,
             0x1D173...0x1D17A, 0xE0001, 0xE0020...0xE007F, 0xF0000...0x10FFFF:
            return true
        default:
            return v & 0xFFFE == 0xFFFE
        }
    }

    /// Right-to-left letters (RFC 3454 table D.1), approximately: Hebrew, Arabic, Syriac, Thaana letters
    /// of Unicode 3.2.
    private static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        guard inUnicode32(scalar) else { return false }
        let block = (0x5BE...0x7B1).contains(v) || (0xFB1D...0xFDFC).contains(v) || (0xFE70...0xFEFC).contains(v) || v == 0x200F
        guard block else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .format: return false
        default: return !(0x660...0x66C).contains(v) && v != 0x6DE && v != 0x6E9
        }
    }

    /// Left-to-right letters (RFC 3454 table D.2), approximately: letters and spacing marks of other scripts
    /// of Unicode 3.2.
    private static func isLeftToRight(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        guard inUnicode32(scalar) else { return false }
        if (0x590...0x8FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .spacingMark: return true
        default: return false
        }
    }

    private static func inUnicode32(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.age.map { ($0.major, $0.minor) <= (3, 2) } ?? false
    }

    /// The length of the RFC 3492 punycode form of `label` (without the `xn--` prefix).
    static func punycodeLength(_ label: [Unicode.Scalar]) -> Int {
        let codes = label.map { Int($0.value) }
        let basic = codes.filter { $0 < 0x80 }.count
        var length = basic + (basic > 0 ? 1 : 0)
        var n = 0x80, delta = 0, bias = 72, handled = basic
        while handled < codes.count {
            let m = codes.filter { $0 >= n }.min()!
            delta += (m - n) * (handled + 1)
            n = m
            for code in codes {
                if code < n { delta += 1 }
                guard code == n else { continue }
                var q = delta, k = 36
                while true {
                    let t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias)
                    if q < t { break }
                    length += 1
                    q = (q - t) / (36 - t)
                    k += 36
                }
                length += 1
                bias = adapt(delta, points: handled + 1, first: handled == basic)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return length
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / 700 : delta / 2
        delta += delta / points
        var k = 0
        while delta > 455 {
            delta /= 35
            k += 36
        }
        return k + 36 * delta / (delta + 38)
    }
}

/// Recognising a top-level domain where twitter-text's URL pattern expects one.
extension URLScanner {
    /// The end of a top-level domain at `t`, which must not run on into a letter, digit, `@`, `+` or `-`.
    /// `host` is where a scheme-less host starts (nil for a host after a scheme or within one).
    mutating func topLevelDomainEnd(at t: Int, limit: Int, host: Int?) -> Int? {
        guard t < limit else { return nil }
        func clear(_ end: Int) -> Bool { end == limit || !(s[end].isFoldedASCIIAlphanumeric || "@+-".unicodeScalars.contains(s[end])) }
        var end = t
        while end < limit, s[end].isFoldedASCIIAlphanumeric { end += 1 }
        if end > t {
            if clear(end), decide(TopLevelDomains.verdict(ascii: s[t..<end])) { return end }
            for word in TopLevelDomains.mixedLatin where t + word.count <= limit && clear(t + word.count)
                && zip(s[t...], word).allSatisfy({ $0.foldedASCIILowercase == $1 || $0.properties.lowercaseMapping == String($1) }) {
                return t + word.count
            }
            let ace = end - t == 2 && t + 4 < limit && s[t].foldedASCIILowercase == "x" && s[t + 1].foldedASCIILowercase == "n"
            guard ace, s[t + 2] == "-", s[t + 3] == "-" else { return nil }
            var puny = t + 4
            while puny < limit, s[puny].isFoldedASCIIAlphanumeric || s[puny] == "-" { puny += 1 }
            return puny > t + 4 ? puny : nil
        }
        // A domain in another script (Cyrillic, Chinese, Arabic, Devanagari…): any prefix of two or more of its
        // letters might be on twitter-text's list, the longest winning. It only matters after a scheme, with
        // Latin labels before it (then twitter-text finds `labels.tld`), or before a path, port or query (which
        // the match would swallow); otherwise the scheme-less match yields no URL and hides none.
        func isLetter(_ c: Unicode.Scalar) -> Bool {
            c.value >= 0x370 && (c.properties.isAlphabetic || [.nonspacingMark, .spacingMark].contains(c.properties.generalCategory))
        }
        var run = t
        let script = TopLevelDomains.script(s[t])
        while run < limit, run - t < TopLevelDomains.longestNonLatin, isLetter(s[run]), TopLevelDomains.script(s[run]) == script {
            run += 1
        }
        guard run - t >= 2 else { return nil }
        let swallows = run < limit && "/:?".unicodeScalars.contains(s[run])
        let latin = { (c: Unicode.Scalar) in c.isFoldedASCIIAlphanumeric || URLScanner.isLatinAccent(c) }
        if let host, !swallows, !s[host..<t].contains(where: latin) { return nil }
        for end in stride(from: run, through: t + 2, by: -1) where clear(end) {
            if decide(.maybe("idn:" + String(String.UnicodeScalarView(s[t..<end])).lowercased())) { return end }
        }
        return nil
    }

    /// Whether to treat a candidate as a TLD in this run: `maybe` keys follow `assumed` and are recorded.
    mutating func decide(_ verdict: TopLevelDomains.Verdict) -> Bool {
        switch verdict {
        case .yes: return true
        case .no: return false
        case .maybe(let key):
            uncertain.insert(key)
            return assumeAll || assumed.contains(key)
        }
    }
}

extension Unicode.Scalar {
    /// An ASCII letter, or one of the four letters Python's case-insensitive matching equates with one
    /// (ſ, K as Kelvin sign, ı, İ), which twitter-text's case-insensitive patterns therefore treat as ASCII.
    var isFoldedASCIILetter: Bool {
        let v = value
        return (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x17F || v == 0x212A || v == 0x130 || v == 0x131
    }

    /// An ASCII letter or digit (in twitter-text's case-insensitive sense, see ``isFoldedASCIILetter``).
    var isFoldedASCIIAlphanumeric: Bool { isFoldedASCIILetter || (0x30...0x39).contains(value) }

    /// The lowercase ASCII letter this letter matches case-insensitively (itself for anything else).
    var foldedASCIILowercase: Unicode.Scalar {
        switch value {
        case 0x41...0x5A: Unicode.Scalar(value + 0x20)!
        case 0x17F: "s"
        case 0x212A: "k"
        case 0x130, 0x131: "i"
        default: self
        }
    }
}
