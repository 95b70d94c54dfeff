import Crypto
import Foundation
import ReportKit

/// One Bluesky post as rendered: its text, its facets (links and hashtags at UTF-8 byte offsets), and the
/// time its record key is derived from. The record, its key and its reply references are completed at send.
struct BlueskyPost: Codable, Sendable, Hashable {
    struct ByteSlice: Codable, Sendable, Hashable {
        var byteStart: Int
        var byteEnd: Int
    }

    struct Feature: Codable, Sendable, Hashable {
        var type: String
        var uri: String?
        var tag: String?

        enum CodingKeys: String, CodingKey {
            case type = "$type"
            case uri, tag
        }
    }

    struct Facet: Codable, Sendable, Hashable {
        var index: ByteSlice
        var features: [Feature]
    }

    var text: String
    var facets: [Facet]
    var langs: [String]?
    /// Microseconds since 1970 of the run's logical time: the clock part of the post's record key.
    var keyTime: Int64

    /// The posts of `digest`: links show without their scheme and, when long, shortened with "…" (Bluesky counts
    /// a URL in full, and its facet keeps the whole address).
    static func thread(_ digest: ReportKit.Digest, langs: [String]?, keyTime: Int64) -> [BlueskyPost] {
        var urls: [String] = []
        let thread = SocialThread(limit: BlueskyChannel.graphemeLimit) { BlueskyPost.measure($0) }
        let texts = thread.posts(digest) { text in
            var out = ""
            var last = text.startIndex
            for range in TextEntities.schemeURLs(in: text) {
                out += text[last..<range.lowerBound]
                let url = String(text[range])
                urls.append(url)
                out += String(linkStart) + display(url) + String(linkEnd)
                last = range.upperBound
            }
            return out + text[last...]
        }
        var nextURL = 0
        return texts.map { marked in
            var text = ""
            var facets: [Facet] = []
            var start: Int?
            for scalar in marked.unicodeScalars {
                if scalar == linkStart {
                    start = text.utf8.count
                } else if scalar == linkEnd, let from = start {
                    let url = nextURL < urls.count ? urls[nextURL] : ""
                    nextURL += 1
                    facets.append(Facet(index: ByteSlice(byteStart: from, byteEnd: text.utf8.count),
                                        features: [Feature(type: "app.bsky.richtext.facet#link", uri: url)]))
                    start = nil
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
            let links = facets.map { $0.index.byteStart..<$0.index.byteEnd }
            for range in TextEntities.hashtags(in: text) {
                let from = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
                let to = text.utf8.distance(from: text.startIndex, to: range.upperBound)
                let tag = String(text[range].dropFirst())
                guard !links.contains(where: { $0.overlaps(from..<to) }), tag.count <= 64, !tag.isEmpty else { continue }
                facets.append(Facet(index: ByteSlice(byteStart: from, byteEnd: to),
                                    features: [Feature(type: "app.bsky.richtext.facet#tag", tag: tag)]))
            }
            facets.sort { $0.index.byteStart < $1.index.byteStart }
            return BlueskyPost(text: text, facets: facets, langs: langs, keyTime: keyTime)
        }
    }

    // Private-use scalars bracket a link's display text while the thread is cut, so the facets can be found
    // again exactly, whatever else the text holds. They are not counted and never sent.
    static let linkStart: Unicode.Scalar = "\u{E000}"
    static let linkEnd: Unicode.Scalar = "\u{E001}"

    /// Bluesky's two limits as one: graphemes, or a tenth of the UTF-8 bytes when that is more.
    static func measure(_ marked: String) -> Int {
        var text = marked
        if marked.unicodeScalars.contains(where: { $0 == linkStart || $0 == linkEnd }) {
            text = String(String.UnicodeScalarView(marked.unicodeScalars.filter { $0 != linkStart && $0 != linkEnd }))
        }
        return max(PostLength.graphemes(text), (text.utf8.count + 9) / 10)
    }

    /// What a link shows: no scheme, no `www.`, and at most 30 characters.
    static func display(_ url: String) -> String {
        var shown = Substring(url)
        for prefix in ["https://", "http://"] where shown.lowercased().hasPrefix(prefix) {
            shown = shown.dropFirst(prefix.count)
        }
        if shown.lowercased().hasPrefix("www.") { shown = shown.dropFirst(4) }
        if shown.hasSuffix("/") && !shown.dropLast().contains("/") { shown = shown.dropLast() }
        return shown.count > 30 ? String(shown.prefix(29)) + "…" : String(shown)
    }

    /// The record key: a TID (13 base32-sortable characters of 53 bits of microseconds and a 10-bit clock id)
    /// derived from the delivery key, so every attempt of a delivery names the same record and the PDS refuses a
    /// second one. The microseconds stay within a second of the logical time.
    static func recordKey(keyTime: Int64, deliveryKey: String) -> String {
        let digest = Array(SHA256.hash(data: Data(deliveryKey.utf8)))
        let spread = (UInt64(digest[0]) << 16 | UInt64(digest[1]) << 8 | UInt64(digest[2])) % 1_000_000
        let clock = (UInt64(digest[3]) << 8 | UInt64(digest[4])) & 0x3FF
        let micros = (UInt64(max(keyTime, 0)) / 1_000_000 * 1_000_000 + spread) & ((1 << 53) - 1)
        let value = micros << 10 | clock
        let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")
        return String((0..<13).map { alphabet[Int((value >> UInt64(60 - 5 * $0)) & 31)] })
    }
}
