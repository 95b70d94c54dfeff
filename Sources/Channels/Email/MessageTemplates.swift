import Foundation
import Mustache
import ReportKit

/// A job's own Mustache templates for the email parts (`email_template_html:` and
/// `email_template_text:` in the job file), already read from disk. Either may be absent: that part
/// keeps the built-in layout.
///
/// The HTML template escapes `{{name}}` for HTML; `{{{name}}}` inserts a value raw (use it only for
/// `body_html`). The text template escapes nothing. Variables: see ``EmailTemplateVariables``.
public struct MessageTemplates: Sendable, Hashable {
    /// The text/html template's source, or nil for the built-in layout.
    public var html: String?
    /// The text/plain template's source, or nil for the built-in layout.
    public var text: String?

    /// Creates templates from their sources.
    public init(html: String? = nil, text: String? = nil) {
        self.html = html
        self.text = text
    }

    /// Throws a readable reason when `source` is not a valid Mustache template (for `herald check`).
    public static func validate(_ source: String) throws(ChannelError) {
        do {
            _ = try MustacheTemplate(string: source)
        } catch {
            throw ChannelError("not a valid Mustache template: \(error)")
        }
    }

    func renderHTML(_ variables: [String: Any]) -> String? {
        guard let html, let template = try? MustacheTemplate(string: html) else { return nil }
        return template.render(variables)
    }

    func renderText(_ variables: [String: Any]) -> String? {
        // The pragma switches escaping off: a text part must show `&` and `<` as they are.
        guard let text, let template = try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text) else { return nil }
        return template.render(variables)
    }
}

/// The values a template sees. Every value is a string, a list or absent (absent values are false in
/// `{{#name}}…{{/name}}` sections):
///
/// | variable | value |
/// |---|---|
/// | `title`, `summary` | the digest's title and summary line |
/// | `sections` | list of `{title, items}`; sections without items are left out |
/// | `items` (in a section) | list of `{text, amount?, link?}`; `amount` is formatted (`£93,000`), `link` an http(s) or mailto URL |
/// | `links` | list of `{title, url}`, the sources |
/// | `hashtags` | list of `{tag}` (without `#`) |
/// | `job`, `run_id` | the job's name and the run's id |
/// | `logical_time` | the run's logical time, RFC 3339 UTC (`2014-03-01T09:00:00Z`) |
/// | `logical_date` | its date in UTC, `1 March 2014` |
/// | `body_html` | the built-in layout's content (heading to hashtags) without its wrapper, for `{{{body_html}}}` |
/// | `body_text` | the whole built-in text part |
public enum EmailTemplateVariables {
    /// The variables for `digest` in `context`.
    public static func make(_ digest: Digest, context: RenderContext, defaultText: String, bodyHTML: String) -> [String: Any] {
        let sections: [[String: Any]] = digest.sections.filter { !$0.items.isEmpty }.map { section in
            [
                "title": section.title,
                "items": section.items.map { item -> [String: Any] in
                    var fields: [String: Any] = ["text": item.text]
                    if let amount = item.amount { fields["amount"] = amount.description }
                    // Only web and mail links, as in the built-in layout: a template cannot tell a
                    // `javascript:` URL from a safe one.
                    if let link = item.link, EmailRendering.isLinkable(link) { fields["link"] = link.absoluteString }
                    return fields
                },
            ]
        }
        var variables: [String: Any] = [
            "title": digest.title,
            "summary": digest.summary,
            "sections": sections,
            "links": digest.links.map { ["title": $0.title, "url": $0.url.absoluteString] },
            "hashtags": digest.hashtags.map { ["tag": $0] },
            "job": context.job,
            "run_id": context.runID,
            "logical_time": rfc3339(context.logicalTime),
            "logical_date": longDate(context.logicalTime),
            "body_html": bodyHTML,
            "body_text": defaultText,
        ]
        // Empty strings would render as true sections in some Mustache dialects; leave them out.
        for name in ["title", "summary"] where (variables[name] as? String)?.isEmpty == true {
            variables[name] = nil
        }
        return variables
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func longDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                      "November", "December"]
        return "\(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970)"
    }
}
