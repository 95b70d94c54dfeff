import Channels
import Foundation
import Testing

@Suite struct TextSplitterTests {
    /// The words of `text`, for checking that nothing was lost or cut.
    func words(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map(String.init) }

    @Test func shortTextIsOneChunk() {
        #expect(TextSplitter.graphemes(limit: 100).split("Hello world.\n") == ["Hello world."])
        #expect(TextSplitter.graphemes(limit: 100).split("  \n") == [])
    }

    @Test func cutsAtParagraphsThenLinesThenSentencesThenWords() {
        let splitter = TextSplitter.graphemes(limit: 30)
        #expect(splitter.split("First paragraph here.\n\nSecond paragraph here.") == ["First paragraph here.", "Second paragraph here."])
        #expect(splitter.split("line one is here\nline two is here\nline three") == ["line one is here", "line two is here\nline three"])
        #expect(splitter.split("One sentence here. Another one here! A third?") == ["One sentence here.", "Another one here! A third?"])
        #expect(splitter.split("averyveryverylongword and more words to come") == ["averyveryverylongword and more", "words to come"])
    }

    @Test func neverCutsInsideAURLOrWord() {
        let url = "https://example.org/a.b/c?d=e.f"
        let text = (0..<20).map { "Item \($0) see \(url) now." }.joined(separator: " ")
        let chunks = TextSplitter.utf16(limit: 80).split(text)
        #expect(chunks.count > 1)
        for chunk in chunks {
            #expect(chunk.utf16.count <= 80)
            for word in words(chunk) { #expect(words(text).contains(word), "cut inside '\(word)'") }
        }
        #expect(chunks.flatMap(words) == words(text))
    }

    @Test func neverCutsAGraphemeAndCountsInTheGivenUnit() {
        // Flags and family emoji: one grapheme, several scalars and UTF-16 units.
        let text = String(repeating: "🇬🇧 👨‍👩‍👧 café ", count: 40)
        for splitter in [TextSplitter.graphemes(limit: 25), .utf16(limit: 25), .utf8(limit: 25), .unicodeScalars(limit: 25)] {
            let chunks = splitter.split(text)
            for chunk in chunks { #expect(splitter.measure(chunk) <= 25) }
            #expect(chunks.flatMap(words) == words(text))
        }
    }

    @Test func aSingleOverlongWordIsCutBetweenGraphemesAndNothingIsLost() {
        let word = String(repeating: "é", count: 25) + String(repeating: "👍🏽", count: 5)
        let chunks = TextSplitter.graphemes(limit: 10).split(word)
        #expect(chunks.allSatisfy { $0.count <= 10 })
        #expect(chunks.joined() == word)
    }

    @Test func packsItemsAndSplitsOnlyTheOneThatIsTooLong() {
        let splitter = TextSplitter.graphemes(limit: 40)
        let long = "This item is long. It has two sentences and more words."
        let chunks = splitter.pack(["a", "b", long, "c"])
        #expect(chunks == ["a\nb", "This item is long.", "It has two sentences and more words.\nc"])
    }

    @Test func customMeasuresAreAppliedToWholeChunks() {
        // A URL counts 23, as on Mastodon and X.
        let measure: @Sendable (String) -> Int = { text in
            text.split(separator: " ").reduce(0) { $0 + ($1.hasPrefix("https://") ? 23 : $1.count) }
                + max(0, text.split(separator: " ").count - 1)
        }
        let splitter = TextSplitter(limit: 50, measure: measure)
        let text = "see https://example.org/a/very/long/path/that/is/long and https://example.org/another/long/one ok"
        let chunks = splitter.split(text)
        #expect(chunks.allSatisfy { measure($0) <= 50 })
        #expect(chunks.flatMap(words) == words(text))
    }
}
