import Foundation
import Testing

/// Email configuration as `herald check` sees it: job templates and email destinations.
@Suite struct EmailConfigTests {
    @Test func checkReportsBrokenAndMissingEmailTemplatesAtTheirKeys() async throws {
        let home = try TestHome(jobs: [
            "digest": """
                plugin: healthy
                schedule: "0 9 * * MON"
                destinations: [outbox]
                email_template_html: etc/templates/broken.html.mustache
                email_template_text: etc/templates/missing.txt.mustache

                """,
            "fine": """
                plugin: healthy
                schedule: "0 9 * * MON"
                destinations: [outbox]
                email_template_text: etc/templates/digest.txt.mustache

                """,
        ])
        try FileManager.default.createDirectory(at: home.url.appendingPathComponent("etc/templates"), withIntermediateDirectories: true)
        try home.write("<h1>{{title}}</h1>{{#sections}} never closed", to: "etc/templates/broken.html.mustache")
        try home.write("{{title}}\n{{#sections}}{{title}}{{/sections}}\n", to: "etc/templates/digest.txt.mustache")
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 1)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("schedules/digest.yaml:4:22: error: email_template_html: etc/templates/broken.html.mustache is not a valid Mustache template") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("schedules/digest.yaml:5:22: error: email_template_text: cannot read etc/templates/missing.txt.mustache") }, "\(output)")
        #expect(!output.contains("schedules/fine.yaml"), "a valid template is accepted")
    }

    @Test func checkRefusesAnEmailDestinationWithoutUsableRecipients() async throws {
        let home = try TestHome(jobs: [:], destinations: """
            mail: { url: "smtps://herald:${env:HERALD_TEST_SMTP}@smtp.example.gov.uk?from=herald@example.gov.uk", to: ["bob@", "nobody"] }
            """)
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url,
                                                           environment: ["HERALD_TEST_SMTP": "smtp-pa55word"])
        #expect(status == 1)
        #expect(output.contains("destination 'mail': none of the 2 recipients is a usable address"), "\(output)")
        #expect(!output.contains("smtp-pa55word"))
    }

    @Test func checkWarnsAboutEachUnusableRecipientAtItsLineAndKeepsTheRest() async throws {
        let home = try TestHome(jobs: [:], destinations: """
            mail: { url: "smtp://127.0.0.1:2525?from=herald@example.gov.uk&starttls=none", recipients_file: etc/list.txt, \
            to: ["ok@example.gov.uk", "bob@"] }
            """)
        try home.write("# stakeholders\na@example.gov.uk\n\nnot-an-address\nb@example.gov.uk\n", to: "etc/list.txt")
        let (status, output) = try await HeraldProcess.run(["check", "--config", "etc/herald.yaml"], in: home.url)
        #expect(status == 0, "warnings alone do not fail the check: \(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("etc/list.txt:4:1: warning: destination 'mail': 'not-an-address' skipped") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("etc/herald.yaml:") && $0.contains("warning: destination 'mail': 'bob@' skipped") }, "\(output)")
        #expect(!lines.contains { $0.contains("a@example.gov.uk") || $0.contains("b@example.gov.uk") })
    }
}
