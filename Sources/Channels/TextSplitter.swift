import Foundation

/// Cuts text into chunks that each measure at most `limit`, by a counting function of the service's
/// unit (characters, UTF-16 code units, UTF-8 bytes, weighted characters…).
///
/// Cuts fall at the coarsest boundary that works: between items, then paragraphs, lines, sentences,
/// then words. A cut never falls inside a word, a URL (URLs hold no whitespace) or a grapheme
/// cluster. Only a single word (or URL) that alone exceeds the limit is cut, between graphemes, as
/// the last resort — nothing is ever dropped. Whitespace at a cut is dropped.
///
/// The counting function is applied to whole candidate chunks, so non-additive counts (a URL
/// weighed as 23) are honoured.
public struct TextSplitter: Sendable {
    /// The largest measure a chunk may have.
    public var limit: Int
    /// The measure of a piece of text.
    public var measure: @Sendable (String) -> Int

    /// A splitter for `limit` units of `measure`.
    public init(limit: Int, measure: @escaping @Sendable (String) -> Int) {
        precondition(limit > 0, "a splitter needs a positive limit")
        self.limit = limit
        self.measure = measure
    }

    /// Counting extended grapheme clusters (what users see as characters).
    public static func graphemes(limit: Int) -> TextSplitter { TextSplitter(limit: limit) { $0.count } }
    /// Counting UTF-16 code units (JavaScript string length; the conservative reading of "characters").
    public static func utf16(limit: Int) -> TextSplitter { TextSplitter(limit: limit) { $0.utf16.count } }
    /// Counting Unicode scalars (code points).
    public static func unicodeScalars(limit: Int) -> TextSplitter { TextSplitter(limit: limit) { $0.unicodeScalars.count } }
    /// Counting UTF-8 bytes.
    public static func utf8(limit: Int) -> TextSplitter { TextSplitter(limit: limit) { $0.utf8.count } }

    /// Whether `text` fits in one chunk.
    public func fits(_ text: String) -> Bool { measure(text) <= limit }

    /// `text` in chunks, cut at paragraph, line, sentence, then word boundaries.
    public func split(_ text: String) -> [String] {
        let trimmed = Self.trimmingTrailingWhitespace(text)
        if trimmed.isEmpty { return [] }
        return chunks(trimmed, level: 0)
    }

    /// `items` joined by `separator` into as few chunks as possible, cutting between items; an item
    /// too long for a chunk of its own is split as ``split(_:)`` does. Items are never reordered.
    public func pack(_ items: [String], separator: String = "\n") -> [String] {
        var out: [String] = []
        var current: String?
        for item in items {
            if let existing = current {
                let candidate = existing + separator + item
                if fits(candidate) {
                    current = candidate
                    continue
                }
                out.append(existing)
                current = nil
            }
            if fits(item) {
                current = item
            } else {
                let pieces = split(item)
                out.append(contentsOf: pieces.dropLast())
                current = pieces.last
            }
        }
        if let current { out.append(current) }
        return out
    }

    // MARK: - Levels

    private enum Level: CaseIterable {
        case paragraph, line, sentence, word
    }

    private func chunks(_ text: String, level: Int) -> [String] {
        if fits(text) { return [text] }
        guard level < Level.allCases.count else { return graphemeChunks(text) }
        let segments = Self.segments(text, at: Level.allCases[level])
        if segments.count <= 1 { return chunks(text, level: level + 1) }
        var out: [String] = []
        var current = ""
        for segment in segments {
            let candidate = current + segment
            if fits(Self.trimmingTrailingWhitespace(candidate)) {
                current = candidate
                continue
            }
            let finished = Self.trimmingTrailingWhitespace(current)
            if !finished.isEmpty { out.append(finished) }
            current = ""
            let bare = Self.trimmingTrailingWhitespace(segment)
            if fits(bare) {
                current = segment
            } else {
                let pieces = chunks(bare, level: level + 1)
                out.append(contentsOf: pieces.dropLast())
                // Keep the segment's trailing whitespace so the next segment joins it as written.
                current = (pieces.last ?? "") + segment.dropFirst(bare.count)
            }
        }
        let finished = Self.trimmingTrailingWhitespace(current)
        if !finished.isEmpty { out.append(finished) }
        return out
    }

    /// The last resort for one word longer than the limit: cut between grapheme clusters.
    private func graphemeChunks(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for character in text {
            let candidate = current + String(character)
            if fits(candidate) || current.isEmpty {
                current = candidate
            } else {
                out.append(current)
                current = String(character)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `text` cut after each boundary of `level`; each segment keeps the whitespace that follows it,
    /// so the segments concatenate back to `text`.
    private static func segments(_ text: String, at level: Level) -> [String] {
        var out: [String] = []
        var current = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            current.append(character)
            let atBoundary: Bool
            switch level {
            case .paragraph:
                atBoundary = character.isNewline && characters.first?.isNewline == true
            case .line:
                atBoundary = character.isNewline
            case .sentence:
                atBoundary = isSentenceEnd(current) && characters.first?.isWhitespace == true
            case .word:
                atBoundary = character.isWhitespace == false && characters.first?.isWhitespace == true
            }
            guard atBoundary else { continue }
            // Take the run of whitespace after the boundary into this segment.
            while let next = characters.first, next.isWhitespace {
                current.append(next)
                characters.removeFirst()
            }
            out.append(current)
            current = ""
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Whether `text` ends a sentence: `.`, `!`, `?` or `…`, optionally followed by closing quotes or brackets.
    private static func isSentenceEnd(_ text: String) -> Bool {
        var index = text.endIndex
        while index > text.startIndex {
            let previous = text.index(before: index)
            let character = text[previous]
            if "\"')]}’”»".contains(character) {
                index = previous
                continue
            }
            return ".!?…".contains(character)
        }
        return false
    }

    static func trimmingTrailingWhitespace(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return String(result)
    }
}
