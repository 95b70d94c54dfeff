@testable import Channels
import Foundation
import Testing

/// The post counts against the services' reference implementations: twitter-text-parser for X, Python's
/// `grapheme` for grapheme clusters, and twitter-text's URL extraction plus Mastodon's mention pattern for
/// Mastodon (all run by `Tests/Receivers/length_oracle.py`).
@Suite struct PostLengthTests {
    @Test func theReferenceSheetExample() {
        let text = "Résumé digest ✨ https://www.gov.uk/government/news"
        #expect(PostLength.x(text) == 40)
        #expect(PostLength.mastodon(text) == 39)
        #expect(PostLength.graphemes(text) == 50)
        #expect(text.utf8.count == 54)
        #expect(PostLength.mastodon(text, urlLength: 30) == 46)
    }

    @Test func emojiWeighTwoWhateverTheirCodePoints() {
        for emoji in ["😀", "👍🏽", "👨‍👩‍👧", "👩🏽‍💻", "🧑🏿‍🤝‍🧑🏻", "🇬🇧", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "1️⃣", "#⃣", "❤️", "❤", "©️", "©", "™", "🏳️‍🌈", "👨‍⚕"] {
            #expect(PostLength.x(emoji) == 2, "\(emoji.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Emoji 12.0 is what twitter-text knows: a later sequence falls apart into its code points.
        #expect(PostLength.x("❤️‍🔥") == 5)
        #expect(PostLength.x("✨️") == 4)
        #expect(PostLength.x("🇦🇦") == 4)
        #expect(PostLength.x("🧑🏻‍🤝‍🧑🏿") == 8, "12.0 has only the darker-first pairs")
    }

    @Test func urlsAreDelimitedAsTwitterTextDoes() {
        func urls(_ text: String, _ finder: (String) -> [Range<String.Index>] = TextEntities.schemeURLs) -> [String] {
            finder(text).map { String(text[$0]) }
        }
        #expect(urls("See (https://x.org/a) now.") == ["https://x.org/a"])
        #expect(urls("https://en.wikipedia.org/wiki/Foo_(bar), then") == ["https://en.wikipedia.org/wiki/Foo_(bar)"])
        #expect(urls("Go to https://example.org/a?b=c. Or 'https://example.org/x'!")
            == ["https://example.org/a?b=c", "https://example.org/x"])
        #expect(urls("Read gov.uk/news or example.org, not e.g. this.", TextEntities.twitterURLs) == ["gov.uk/news", "example.org"])
        #expect(urls("Read gov.uk/news", TextEntities.schemeURLs).isEmpty)
    }

    @Test func hashtagsAndMentions() {
        let text = "#NHS75 and #1 and a&#x; #café #日本 @alice@example.org @bob, e@mail.org"
        #expect(TextEntities.hashtags(in: text).map { String(text[$0]) } == ["#NHS75", "#café", "#日本"])
        #expect(TextEntities.mentions(in: text).map { String(text[$0]) } == ["@alice@example.org", "@bob"])
        #expect(PostLength.mastodon("Hi @alice@example.org!") == 10)
    }

    @Test func indicConjunctsCountAsTheOlderRulesCountThem() {
        #expect(PostLength.graphemes("क्षत्रिय") == 5)
        #expect(PostLength.graphemes("e\u{301}cole") == 5)
        #expect(PostLength.graphemes("🇬🇧🇫") == 2)
    }

    /// A few thousand strings of the kinds Herald posts, counted here and by the reference implementations.
    @Test func agreesWithTheReferenceImplementations() throws {
        var generator = SeededGenerator(seed: 20_240_301)
        var corpus = (0..<3000).map { _ in Corpus.text(using: &generator) }
        // Every top-level domain we vouch for must be one for twitter-text, and every flag an emoji.
        corpus += (TopLevelDomains.generic.sorted() + TopLevelDomains.countryCodes.sorted()).map { "see example.\($0) now" }
        corpus += TopLevelDomains.isoRegions.map { region in
            "flag " + String(String.UnicodeScalarView(region.unicodeScalars.map { Unicode.Scalar($0.value - 0x61 + 0x1F1E6)! }))
        }
        let expected = try Oracle.lengths(corpus)
        #expect(expected.count == corpus.count)

        var mismatches: [String] = []
        var exact = (x: 0, mastodon: 0), bounded = (x: 0, mastodon: 0)
        for (text, reference) in zip(corpus, expected) {
            let x = PostLength.xMeasure(text), mastodon = PostLength.mastodonMeasure(text, urlLength: 23)
            let graphemes = PostLength.graphemes(text)
            let describe = { (what: String, ours: Int, theirs: Int) in
                "\(what): ours \(ours), reference \(theirs) for \(text.debugDescription)"
            }
            if x.exact { exact.x += 1 } else { bounded.x += 1 }
            if mastodon.exact { exact.mastodon += 1 } else { bounded.mastodon += 1 }
            // An uncertain top-level domain makes our count an upper bound: it may exceed, never fall short.
            if x.exact ? x.length != reference.x : x.length < reference.x { mismatches.append(describe("x", x.length, reference.x)) }
            if mastodon.exact ? mastodon.length != reference.mastodon : mastodon.length < reference.mastodon {
                mismatches.append(describe("mastodon", mastodon.length, reference.mastodon))
            }
            if graphemes != reference.graphemes { mismatches.append(describe("graphemes", graphemes, reference.graphemes)) }
            if text.utf8.count != reference.utf8 { mismatches.append(describe("utf8", text.utf8.count, reference.utf8)) }
        }
        print("PostLengthTests: \(corpus.count) strings; X exact \(exact.x), bounded \(bounded.x); "
            + "Mastodon exact \(exact.mastodon), bounded \(bounded.mastodon); \(mismatches.count) mismatches")
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first:\n\(mismatches.prefix(8).joined(separator: "\n"))")
        #expect(bounded.x < corpus.count / 10, "most of the corpus should be counted exactly")
    }
}

/// `Tests/Receivers/length_oracle.py`, run once over a whole corpus.
private enum Oracle {
    struct Lengths: Decodable {
        var x: Int
        var graphemes: Int
        var mastodon: Int
        var utf8: Int
    }

    static func lengths(_ texts: [String]) throws -> [Lengths] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Receivers/length_oracle.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The oracle reads all its input before it writes anything, so writing first cannot deadlock.
        input.fileHandleForWriting.write(try JSONEncoder().encode(texts))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleError(description: "length_oracle.py exited \(process.terminationStatus): \(message)")
        }
        return try JSONDecoder().decode([Lengths].self, from: data)
    }

    struct OracleError: Error, CustomStringConvertible {
        var description: String
    }
}

/// SplitMix64: the same corpus on every run and every machine.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The kinds of text Herald's digests hold, in random mixtures.
private enum Corpus {
    static let words = [
        "Knowsley Youth Mutual", "Spiral Health CIC", "Ltd.", "St. Helens", "Co-op", "funding", "awards", "to date", "NHS",
        "Résumé", "Croeso i Gymru", "Llywodraeth Cymru", "ŵyr", "w\u{302}yr", "Łódź", "Zażółć gęślą jaźń", "Gdańsk",
        "مرحبا بالعالم", "منحة", "हिन्दी", "क्षत्रिय संस्था", "अनुदान", "资助计划", "慈善机构", "日本語のテキスト", "助成金",
        "e\u{301}cole", "cafe\u{301}", "nai\u{308}ve", "Ångström", "£1,250,000", "£93,000.50", "£1.2m", "£18,927.50", "€3.5m",
        "2024-03-01", "1 March 2024", "01/03/2024", "Q3 2024/25", "21 awards", "14 to SMEs", "e.g.", "i.e.", "No. 10", "v2.0",
        "(note)", "[1]", "“quoted”", "‘single’", "\"plain\"", "it's", "—", "–", "…", "&", "½", "%", "×", "→",
    ]
    static let hosts = [
        "www.gov.uk", "gov.uk", "www.gov.wales", "llyw.cymru", "example.org", "www.example.com", "bbc.co.uk", "360giving.org",
        "en.wikipedia.org", "mastodon.social", "data.gov.uk", "t.co", "bücher.de", "xn--bcher-kva.de", "EXAMPLE.ORG", "Gov.UK",
        "mutuals.coop", "example.charity", "example.app", "example.io", "example.eu", "example.com:8080",
    ]
    static let uncertainHosts = ["example.foo", "herald.example", "st.david", "example.рф", "日本語.jp", "my_site.org"]
    static let paths = [
        "", "/", "/government/news", "/awards/2024/spring-round", "/wiki/Foo_(bar)", "/wiki/Foo_(bar_(baz))", "/a?q=1&b=2",
        "/search?q=mutuals#results", "/@alice", "/@alice/1234", "/path.", "/path,", "/path!", "/path?", "/café", "/日本",
        "/a-b_c~d", "/%E2%9C%A8", "/it's", "/x.pdf", "/abc123",
    ]
    static let emoji = [
        "😀", "🎉", "✨", "🚀", "💷", "📈", "👍", "👍🏽", "👋🏿", "🙋🏽‍♀️", "🙋🏽‍♀", "👨‍👩‍👧", "👨‍👩‍👧‍👦", "👩🏽‍💻", "👨‍⚕️", "👨‍⚕",
        "🧑‍🤝‍🧑", "🧑🏻‍🤝‍🧑🏿", "👩‍❤️‍👨", "🏳️‍🌈", "🏴‍☠️", "🇬🇧", "🇪🇺", "🇺🇦", "🇮🇳", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "1️⃣", "#️⃣", "1⃣",
        "❤️", "❤", "✨️", "☺️", "☺", "©", "©️", "™", "®", "‼️", "🫠", "🧑‍🎄", "❤️‍🔥", "🇬", "🏽", "\u{200D}", "\u{FE0F}", "🤝🏽",
    ]
    static let mentions = ["@alice", "@alice@example.org", "@bob.smith@mastodon.social", "user@example.com", "a=@x", "@@twice"]
    static let tags = ["#NHS75", "#1", "#mutuals", "#Cymru", "#café", "#日本", "#_x", "#2024", "#tag://"]
    static let gaps = [" ", " ", " ", " ", "", "\n", "\r\n", "\n\n", ". ", ", ", ": ", "; ", "! ", "? ", " (", ") ", "\"", "“", "”", " — "]

    static func text(using generator: inout SeededGenerator) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 0...16, using: &generator) {
            out += piece(using: &generator)
            out += gaps.randomElement(using: &generator)!
        }
        return out
    }

    static func piece(using generator: inout SeededGenerator) -> String {
        func pick(_ list: [String]) -> String { list.randomElement(using: &generator)! }
        switch Int.random(in: 0..<100, using: &generator) {
        case 0..<14: return pick(["https://", "http://", "HTTPS://"]) + pick(hosts) + pick(paths)
        case 14..<18: return "(" + "https://" + pick(hosts) + pick(paths) + ")"
        case 18..<24: return pick(hosts) + pick(paths)
        case 24..<26: return pick(["https://", ""]) + pick(uncertainHosts) + pick(paths)
        case 26..<40: return pick(emoji)
        case 40..<45: return pick(mentions)
        case 45..<50: return pick(tags)
        default: return pick(words)
        }
    }
}
