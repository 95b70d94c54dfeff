import Foundation
import ReportKit

/// What every email destination sends for one digest: a subject and the same content as plain text
/// and as HTML. Rendered once per digest and shared by every recipient.
public struct EmailContent: Sendable, Hashable {
    /// The subject line (the digest's title).
    public var subject: String
    /// The text/plain part.
    public var text: String
    /// The text/html part: a whole document.
    public var html: String

    /// Creates content.
    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// The built-in email layout, in GOV.UK's plain manner: one column at most 640 pixels wide, the
/// system font at 19 px, a big heading, a lead paragraph, an `h2` per section and a list of its items
/// with their links and amounts, then sources. No images, so nothing is lost when they are blocked;
/// every style is inline because many mail clients drop `<style>` blocks; the wrapper is a table
/// because Outlook ignores `max-width` on a `div`. All digest text is HTML-escaped.
///
/// The text part says the same things in the same order, so a reader of either misses nothing.
public enum EmailRendering {
    /// The subject, text and HTML for `digest`; the job's templates (``MessageTemplates``) replace either
    /// part when configured.
    public static func content(_ digest: Digest, context: RenderContext) -> EmailContent {
        let subject = digest.title.isEmpty ? digest.summary : digest.title
        var text = self.text(digest, context: context)
        var html = self.html(digest, context: context)
        if let templates = context.templates {
            let variables = EmailTemplateVariables.make(digest, context: context, defaultText: text, bodyHTML: body(digest))
            if let rendered = templates.renderText(variables) { text = rendered }
            if let rendered = templates.renderHTML(variables) { html = rendered }
        }
        return EmailContent(subject: subject, text: text, html: html)
    }

    // MARK: Plain text

    /// The text part: title underlined, summary, each section's items as a list with links on their own
    /// indented line (mail clients make them clickable), sources, hashtags, a one-line footer.
    public static func text(_ digest: Digest, context: RenderContext) -> String {
        var blocks: [String] = []
        if !digest.title.isEmpty { blocks.append(digest.title + "\n" + underline(digest.title, "=")) }
        if !digest.summary.isEmpty { blocks.append(digest.summary) }
        for section in digest.sections where !section.items.isEmpty {
            var lines: [String] = []
            if !section.title.isEmpty { lines += [section.title, underline(section.title, "-"), ""] }
            for item in section.items {
                lines.append("- " + itemText(item))
                if let link = item.link { lines.append("  " + link.absoluteString) }
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !digest.links.isEmpty {
            blocks.append((["Sources", "-------", ""] + digest.links.map { "- \($0.title): \($0.url.absoluteString)" })
                .joined(separator: "\n"))
        }
        if !digest.hashtags.isEmpty { blocks.append(digest.hashtags.map { "#" + $0 }.joined(separator: " ")) }
        blocks.append("-- \n" + footer(context))
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private static func underline(_ text: String, _ mark: Character) -> String {
        String(repeating: mark, count: min(max(text.count, 3), 72))
    }

    /// The item's text, with its amount appended when the text does not already show it.
    static func itemText(_ item: Digest.Item) -> String {
        guard let amount = item.amount, !item.text.contains(amount.description) else { return item.text }
        return item.text + ": " + amount.description
    }

    private static func footer(_ context: RenderContext) -> String {
        "Sent automatically by Herald (\(context.job))."
    }

    // MARK: HTML

    static let fontStack = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
    static let textColour = "#0b0c0c"
    static let linkColour = "#1d70b8"
    static let secondaryColour = "#505a5f"

    /// The whole HTML document.
    public static func html(_ digest: Digest, context: RenderContext) -> String {
        let title = escape(digest.title.isEmpty ? digest.summary : digest.title)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light">
        <title>\(title)</title>
        </head>
        <body style="margin:0;padding:0;background-color:#ffffff;color:\(textColour);font-family:\(fontStack);">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;background-color:#ffffff;">
        <tr><td align="center" style="padding:0;border-top:10px solid \(linkColour);">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;max-width:640px;">
        <tr><td style="padding:24px 16px 32px 16px;font-family:\(fontStack);font-size:19px;line-height:1.45;color:\(textColour);text-align:left;">
        \(body(digest))
        <p style="margin:32px 0 0 0;padding-top:16px;border-top:1px solid #b1b4b6;font-size:16px;line-height:1.4;color:\(secondaryColour);">\(escape(footer(context)))</p>
        </td></tr>
        </table>
        </td></tr>
        </table>
        </body>
        </html>

        """
    }

    /// The content between the layout's wrapper: heading, summary, sections, sources and hashtags
    /// (templates get it as `body_html`).
    public static func body(_ digest: Digest) -> String {
        var out: [String] = []
        if !digest.title.isEmpty {
            out.append("<h1 style=\"margin:0 0 16px 0;font-size:32px;line-height:1.15;font-weight:700;\">\(escape(digest.title))</h1>")
        }
        if !digest.summary.isEmpty {
            out.append("<p style=\"margin:0 0 24px 0;font-size:21px;line-height:1.4;\">\(escape(digest.summary))</p>")
        }
        for section in digest.sections where !section.items.isEmpty {
            if !section.title.isEmpty { out.append(heading(section.title)) }
            out.append(list(section.items.map(itemHTML)))
        }
        if !digest.links.isEmpty {
            out.append(heading("Sources"))
            out.append(list(digest.links.map { link(title: $0.title, url: $0.url) ?? escape($0.title + ": " + $0.url.absoluteString) }))
        }
        if !digest.hashtags.isEmpty {
            out.append("<p style=\"margin:24px 0 0 0;font-size:16px;color:\(secondaryColour);\">"
                + escape(digest.hashtags.map { "#" + $0 }.joined(separator: " ")) + "</p>")
        }
        return out.joined(separator: "\n")
    }

    private static func heading(_ text: String) -> String {
        "<h2 style=\"margin:32px 0 12px 0;font-size:24px;line-height:1.25;font-weight:700;\">\(escape(text))</h2>"
    }

    private static func list(_ items: [String]) -> String {
        "<ul style=\"margin:0 0 16px 0;padding:0 0 0 20px;\">\n"
            + items.map { "<li style=\"margin:0 0 10px 0;\">\($0)</li>" }.joined(separator: "\n")
            + "\n</ul>"
    }

    /// An item: its text (as the link's text when it has a link, so the link says where it goes) with
    /// the amount in bold, added after the text when the text does not show it.
    static func itemHTML(_ item: Digest.Item) -> String {
        var text: String
        if let amount = item.amount, let range = item.text.range(of: amount.description) {
            text = escape(String(item.text[..<range.lowerBound])) + "<strong>" + escape(amount.description) + "</strong>"
                + escape(String(item.text[range.upperBound...]))
        } else {
            text = escape(item.text)
            if let amount = item.amount { text += ": <strong>" + escape(amount.description) + "</strong>" }
        }
        guard let url = item.link, isLinkable(url) else {
            return item.link.map { text + " (" + escape($0.absoluteString) + ")" } ?? text
        }
        return "<a href=\"\(escape(url.absoluteString))\" style=\"color:\(linkColour);text-decoration:underline;word-wrap:break-word;\">\(text)</a>"
    }

    private static func link(title: String, url: URL) -> String? {
        guard isLinkable(url) else { return nil }
        return "<a href=\"\(escape(url.absoluteString))\" style=\"color:\(linkColour);text-decoration:underline;word-wrap:break-word;\">"
            + escape(title) + "</a>"
    }

    /// Only web and mail links become `href`s; anything else (`javascript:`, `data:`) is shown as text.
    static func isLinkable(_ url: URL) -> Bool {
        ["http", "https", "mailto"].contains(url.scheme?.lowercased() ?? "")
    }

    /// Escapes the five characters that matter in HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
