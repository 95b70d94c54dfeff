import Foundation
import ReportKit

/// The plain rendering of a digest: what the outbox files hold, what `herald preview` prints,
/// and the fallback text of every richer channel.
public enum PlainTextRendering {
    /// Title, summary, sections as bulleted lines (each with its link), hashtags, then cited links.
    public static func render(_ digest: Digest) -> String {
        var blocks: [String] = []
        if !digest.title.isEmpty { blocks.append(digest.title) }
        if !digest.summary.isEmpty { blocks.append(digest.summary) }
        for section in digest.sections where !section.items.isEmpty {
            var lines: [String] = []
            if !section.title.isEmpty { lines.append(section.title) }
            for item in section.items {
                lines.append("- " + item.text + (item.link.map { " (\($0.absoluteString))" } ?? ""))
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !digest.hashtags.isEmpty {
            blocks.append(digest.hashtags.map { "#" + $0 }.joined(separator: " "))
        }
        if !digest.links.isEmpty {
            blocks.append((["Sources"] + digest.links.map { "- \($0.title): \($0.url.absoluteString)" }).joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }
}
