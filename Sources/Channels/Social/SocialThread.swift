import Foundation
import ReportKit

/// A digest as a thread of posts for one social platform: each part fits the platform's limit by its own
/// count, and a digest too long for one post is cut between items, then sentences, then words — never inside
/// a word, URL, hashtag or grapheme — into parts numbered "1/3", "2/3", ….
///
/// The text is compact, for timelines: title, summary, each section's heading and its items on their own lines
/// (with their links), the hashtags, then the cited links. Nothing of the digest is dropped.
public struct SocialThread: Sendable {
    /// The platform's count of a post.
    public var measure: @Sendable (String) -> Int
    /// The most a post may count.
    public var limit: Int

    /// A thread for a platform whose posts count `measure` and may count at most `limit`.
    public init(limit: Int, measure: @escaping @Sendable (String) -> Int) {
        precondition(limit > 20, "a post limit below 20 leaves no room for a digest")
        self.limit = limit
        self.measure = measure
    }

    /// One piece of a post: it joins the text before it with `separator` unless it starts a post.
    struct Unit {
        var separator: String
        var text: String
    }

    /// The compact text of `digest` as units; cuts between posts fall only between units, unless one unit
    /// alone is too long.
    static func units(_ digest: Digest) -> [Unit] {
        var units: [Unit] = []
        for text in [digest.title, digest.summary] where !text.isEmpty { units.append(Unit(separator: "\n\n", text: text)) }
        for section in digest.sections where !section.items.isEmpty {
            for (index, item) in section.items.enumerated() {
                var line = "- " + item.text
                if let link = item.link { line += " " + link.absoluteString }
                // A heading travels with its first item, so no post ends on a heading.
                if index == 0 && !section.title.isEmpty { line = section.title + "\n" + line }
                units.append(Unit(separator: index == 0 ? "\n\n" : "\n", text: line))
            }
        }
        if !digest.hashtags.isEmpty {
            let tags = digest.hashtags.map { $0.hasPrefix("#") ? $0 : "#" + $0 }.joined(separator: " ")
            units.append(Unit(separator: "\n\n", text: tags))
        }
        for (index, link) in digest.links.enumerated() {
            let line = (link.title.isEmpty ? "" : link.title + ": ") + link.url.absoluteString
            units.append(Unit(separator: index == 0 ? "\n\n" : "\n", text: line))
        }
        if let first = units.first { units[0] = Unit(separator: "", text: first.text) }
        return units
    }

    /// The posts of `digest`, in order, each within the limit; empty for an empty digest.
    ///
    /// `display` rewrites the text before it is measured and cut (Bluesky shows long links shortened);
    /// it must keep whitespace as it is.
    public func posts(_ digest: Digest, display: (String) -> String = { $0 }) -> [String] {
        guard !digest.isEmpty else { return [] }
        let units = Self.units(digest).map { Unit(separator: $0.separator, text: display($0.text)) }
        let whole = units.map { $0.separator + $0.text }.joined()
        if measure(whole) <= limit { return [whole] }
        // The numbering takes room from every part; its width depends on how many parts there are.
        var digits = 1
        while true {
            let widest = "\n\n" + String(repeating: "9", count: digits) + "/" + String(repeating: "9", count: digits)
            let room = limit - measure(widest)
            let parts = pack(units, room: max(room, 1))
            if String(parts.count).count <= digits {
                return parts.enumerated().map { "\($0.element)\n\n\($0.offset + 1)/\(parts.count)" }
            }
            digits += 1
        }
    }

    /// Greedy packing of whole units; a unit too long for a post of its own is cut by ``TextSplitter``.
    private func pack(_ units: [Unit], room: Int) -> [String] {
        let splitter = TextSplitter(limit: room, measure: measure)
        var out: [String] = []
        var current: String?
        for unit in units {
            if let existing = current {
                let candidate = existing + unit.separator + unit.text
                if measure(candidate) <= room {
                    current = candidate
                    continue
                }
                out.append(existing)
                current = nil
            }
            if measure(unit.text) <= room {
                current = unit.text
                continue
            }
            // A unit that must be cut anyway starts in the post before when whole sentences of it fit there, so no
            // post holds a lone heading.
            var rest = Substring(unit.text)
            if let existing = out.last, let lead = leadingSentences(of: rest, after: existing + unit.separator, room: room) {
                out[out.count - 1] = existing + unit.separator + lead
                rest = rest.dropFirst(lead.count).drop { $0.isWhitespace }
            }
            let pieces = splitter.split(String(rest))
            out.append(contentsOf: pieces.dropLast())
            current = pieces.last
        }
        if let current { out.append(current) }
        return out
    }

    /// The longest run of whole sentences (or lines) at the start of `text` that fits after `prefix`, or nil.
    private func leadingSentences(of text: Substring, after prefix: String, room: Int) -> String? {
        let free = room - measure(prefix)
        guard free > room / 5 else { return nil }
        guard let first = TextSplitter(limit: free, measure: measure).split(String(text)).first, first.count < text.count else { return nil }
        let next = text.dropFirst(first.count).first
        let endsSentence = first.last.map { ".!?…".contains($0) } ?? false
        guard endsSentence || next?.isNewline == true, measure(prefix + first) <= room else { return nil }
        return first
    }
}
