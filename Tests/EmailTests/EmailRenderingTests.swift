import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// The built-in email layout, its plain-text twin, and operators' Mustache templates.
@Suite struct EmailRenderingTests {
    static let digest = Digest(
        title: "Mutuals Support Programme: funding to date",
        summary: "21 awards to date, 14 to SMEs, £1m of support",
        sections: [
            Digest.Section(title: "Top recipients", items: [
                Digest.Item("Knowsley Youth Mutual: £93,000", amount: Money(93000), link: URL(string: "https://example.org/knowsley")),
                Digest.Item("Spiral Health CIC", amount: Money(Decimal(string: "18927.50")!)),
                Digest.Item("Bad link", link: URL(string: "javascript:alert(1)")),
            ]),
            Digest.Section(title: "Nothing here", items: []),
        ],
        hashtags: ["mutuals"],
        links: [Digest.Link(title: "360Giving data", url: URL(string: "https://example.org/data")!)])

    @Test func textPartSaysEverythingInOrder() {
        let text = EmailRendering.text(Self.digest, context: EmailFixture.context)
        #expect(text == """
            Mutuals Support Programme: funding to date
            ==========================================

            21 awards to date, 14 to SMEs, £1m of support

            Top recipients
            --------------

            - Knowsley Youth Mutual: £93,000
              https://example.org/knowsley
            - Spiral Health CIC: £18,927.50
            - Bad link
              javascript:alert(1)

            Sources
            -------

            - 360Giving data: https://example.org/data

            #mutuals

            -- \nSent automatically by Herald (funding-summary).

            """)
    }

    @Test func htmlIsOneAccessibleColumnWithInlineStylesAndNoImages() {
        let html = EmailRendering.html(Self.digest, context: EmailFixture.context)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("<title>Mutuals Support Programme: funding to date</title>"))
        #expect(html.contains("max-width:640px"))
        #expect(html.contains("role=\"presentation\""), "layout tables are marked as presentation for screen readers")
        #expect(!html.contains("<img"))
        #expect(!html.contains("<style"))
        #expect(!html.contains("<script"))
        #expect(html.contains(">Mutuals Support Programme: funding to date</h1>"))
        #expect(html.contains(">Top recipients</h2>"))
        #expect(html.contains(">Sources</h2>"))
        #expect(!html.contains("Nothing here"))
        #expect(html.contains("<a href=\"https://example.org/knowsley\" style=\"color:#1d70b8;text-decoration:underline;word-wrap:break-word;\">"
            + "Knowsley Youth Mutual: <strong>£93,000</strong></a>"))
        #expect(html.contains("Spiral Health CIC: <strong>£18,927.50</strong>"))
        #expect(!html.contains("href=\"javascript:"), "only web and mail links become hrefs")
        #expect(html.contains("Bad link (javascript:alert(1))"))
    }

    @Test func everythingIsEscaped() {
        let digest = Digest(title: "<script>alert('x')</script> & \"co\"", summary: "a < b > c",
                            sections: [Digest.Section(title: "<h2>", items: [Digest.Item("<img src=x onerror=alert(1)>")])],
                            hashtags: ["<tag>"], links: [Digest.Link(title: "\"><x", url: URL(string: "https://example.org/?q=\"x\"&y")!)])
        let html = EmailRendering.html(digest, context: EmailFixture.context)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<tag>"))
        #expect(!html.contains("\"><x"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func templatesReplaceEitherPart() throws {
        let htmlTemplate = """
            <html><body><p class="t">{{title}}</p>{{{body_html}}}
            {{#sections}}<h3>{{title}}</h3><ul>{{#items}}<li>{{text}}{{#amount}} [{{amount}}]{{/amount}}{{#link}} <a href="{{link}}">src</a>{{/link}}</li>{{/items}}</ul>{{/sections}}
            <footer>{{job}} {{logical_date}} {{logical_time}}</footer></body></html>
            """
        let textTemplate = """
            {{title}} & more
            .
            {{#sections}}* {{title}}
            {{#items}}  - {{text}}
            {{/items}}{{/sections}}{{#hashtags}}#{{tag}} {{/hashtags}}
            ..done
            """
        var context = EmailFixture.context
        context.templates = MessageTemplates(html: htmlTemplate, text: textTemplate)
        var digest = Self.digest
        digest.title = "Funding <2014> & more"
        let content = EmailRendering.content(digest, context: context)
        #expect(content.html.contains("<p class=\"t\">Funding &lt;2014&gt; &amp; more</p>"), "{{}} escapes in HTML")
        #expect(content.html.contains(">Funding &lt;2014&gt; &amp; more</h1>"), "body_html is the built-in content")
        #expect(content.html.contains("<li>Spiral Health CIC [£18,927.50]</li>"))
        #expect(content.html.contains("<a href=\"https://example.org/knowsley\">src</a>"))
        #expect(content.html.contains("<li>Bad link</li>"), "templates get web and mail links only")
        #expect(content.html.contains("<footer>funding-summary 1 March 2014 2014-03-01T09:00:00Z</footer>"))
        #expect(content.text.hasPrefix("Funding <2014> & more & more\n.\n* Top recipients\n  - Knowsley Youth Mutual: £93,000\n"),
                "the text template escapes nothing")
        #expect(content.text.contains("#mutuals"))
        #expect(content.subject == "Funding <2014> & more")

        // Through SMTP's MIME: lines that are only a dot, or start with dots, survive intact.
        let channel = try SMTPChannel(DestinationSettings(name: "e", url: "smtp://127.0.0.1:2525?from=h@example.gov.uk&starttls=none",
                                                          recipients: ["a@example.gov.uk"]))
        let message = try #require(channel.render(digest, context: context).first)
        let mail = try channel.mailTransfer(for: message, key: "k", context: EmailFixture.attempt)
        let report = try mimeCheck(mail.message)
        #expect(problems(report) == [])
        // Mail carries CRLF line breaks; the decoded parts are the rendered texts exactly, otherwise.
        #expect((report["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == content.text)
        #expect((report["html"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == content.html)
    }

    @Test func onlyTheConfiguredPartIsReplaced() {
        var context = EmailFixture.context
        context.templates = MessageTemplates(text: "just {{summary}}")
        let content = EmailRendering.content(Self.digest, context: context)
        #expect(content.text == "just 21 awards to date, 14 to SMEs, £1m of support")
        #expect(content.html == EmailRendering.html(Self.digest, context: EmailFixture.context))
    }

    @Test func brokenTemplatesAreReportedForCheck() {
        #expect(throws: ChannelError.self) { try MessageTemplates.validate("{{#sections}} never closed") }
        #expect(throws: Never.self) { try MessageTemplates.validate("{{title}} {{#sections}}{{title}}{{/sections}}") }
    }

    @Test func anEmptyDigestSendsNothing() throws {
        let channel = try SMTPChannel(DestinationSettings(name: "e", url: "smtps://h.example.org?from=h@example.gov.uk",
                                                          recipients: ["a@example.gov.uk"]))
        #expect(channel.render(.empty, context: EmailFixture.context).isEmpty)
    }
}
