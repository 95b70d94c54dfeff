import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// The SMTP channel against aiosmtpd on loopback, with STARTTLS or implicit TLS, AUTH, and certificate
/// verification on (the client trusts the test's own CA). Every message the server receives is parsed
/// by Python's `email` package and checked header by header (`Servers/mime_check.py`).
@Suite(.serialized) struct SMTPChannelTests {
    static let password = "pa55:w@rd/secret"

    func channel(_ server: ScriptServer, scheme: String = "smtp", query: String = "", recipients: [String],
                 password: String = SMTPChannelTests.password) throws -> SMTPChannel {
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let url = "\(scheme)://herald:\(encoded)@127.0.0.1:\(server.port)?from=herald@example.gov.uk&name=Herald%20Digest%20%E2%9C%89"
            + query
        return try SMTPChannel(DestinationSettings(name: "stakeholders-email", url: url, recipients: recipients,
                                                   recipientPositions: recipients.indices.map { "etc/list.txt:\($0 + 1)" }))
    }

    @Test func deliversAWellFormedDigestOverSTARTTLSWithAuth() async throws {
        let server = try await ScriptServer.start("smtp_server.py", ["starttls", ScriptServer.scratch(), "herald", Self.password])
        let client = testClient(trusting: server)
        defer { Task { await client.shutdown() } }
        let channel = try channel(
            server, query: "&unsubscribe=https://example.gov.uk/unsubscribe?who=%7Brecipient%7D",
            recipients: ["Ann Example <ann@example.gov.uk>", "Ngā Kaitiaki <team@example.org>"])
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)
        #expect(messages.count == 2)
        #expect(messages[0].payload == messages[1].payload, "the body is rendered once and shared")

        for (index, message) in messages.enumerated() {
            let key = "k_abc123-\(index)"
            let report = await channel.send(message, key: key, context: EmailFixture.attempt, via: CurlTransport(client: client))
            #expect(report.verdict.isSent, "\(report.verdict)")
            #expect(report.status == 250)
            #expect(report.verdict.remoteID == "Q\(index + 1)")

            let received = try #require(await server.nextReport())
            #expect(problems(received) == [])
            #expect(received["tls"] as? Bool == true)
            #expect(received["auth"] as? String == "herald")
            #expect(received["mail_from"] as? String == "herald@example.gov.uk")
            #expect(received["subject"] as? String == EmailFixture.subject)
            #expect(received["from_name"] as? String == "Herald Digest ✉")
            #expect(received["from_address"] as? String == "herald@example.gov.uk")
            #expect(received["message_id"] as? String == "<\(key)@example.gov.uk>")
            #expect(received["auto_submitted"] as? String == "auto-generated")
            #expect(received["list_unsubscribe_post"] as? String == "List-Unsubscribe=One-Click")
            #expect(received["date"] as? String == "2023-11-14T22:13:20+00:00")
            let text = try #require(received["text"] as? String)
            let html = try #require(received["html"] as? String)
            #expect(text.contains("\n.NET-era mutuals: 21 awards to date"), "a line starting with a dot survives dot-stuffing")
            #expect(text.contains("- <b>Spiral & Co</b> \"quoted\" 'single': £18,927.50"))
            #expect(text.contains("  https://example.org/knowsley?a=1&b=2"))
            #expect(text.contains(String(repeating: "long line of support ", count: 80).trimmingCharacters(in: .whitespaces)))
            #expect(html.contains("&lt;b&gt;Spiral &amp; Co&lt;/b&gt; &quot;quoted&quot; &#39;single&#39;: <strong>£18,927.50</strong>"))
            #expect(html.contains("<h1 style=\"margin:0 0 16px 0;font-size:32px;line-height:1.15;font-weight:700;\">Funding — £1.2m for Ōtautahi 🎉</h1>"))
            #expect(html.contains("href=\"https://example.org/knowsley?a=1&amp;b=2\""))
            #expect(html.contains("<h2"), "sections are h2")
            #expect(!html.contains("Empty"), "a section without items is left out")
        }
        let first = messages[0]
        let mail = try channel.mailTransfer(for: first, key: "k", context: EmailFixture.attempt)
        let unfolded = String(decoding: mail.message, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: " ")
        #expect(unfolded.contains("List-Unsubscribe: <https://example.gov.uk/unsubscribe?who=ann%40example.gov.uk>"))
        #expect(mail.recipients == ["ann@example.gov.uk"])
    }

    @Test func deliversOverImplicitTLS() async throws {
        let server = try await ScriptServer.start("smtp_server.py", ["smtps", ScriptServer.scratch(), "herald", Self.password])
        let client = testClient(trusting: server)
        defer { Task { await client.shutdown() } }
        let channel = try channel(server, scheme: "smtps", recipients: ["ops@example.gov.uk"])
        let message = try #require(channel.render(EmailFixture.digest, context: EmailFixture.context).first)
        let report = await channel.send(message, key: "k_tls", context: EmailFixture.attempt, via: CurlTransport(client: client))
        #expect(report.verdict.isSent, "\(report.verdict)")
        let received = try #require(await server.nextReport())
        #expect(received["tls"] as? Bool == true)
        #expect(problems(received) == [])
        #expect(received["rcpt"] as? [String] == ["ops@example.gov.uk"])
    }

    @Test func serverRepliesBecomeVerdicts() async throws {
        let server = try await ScriptServer.start("smtp_server.py", ["starttls", ScriptServer.scratch(), "herald", Self.password])
        let client = testClient(trusting: server)
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try channel(server, recipients: ["reject@example.gov.uk", "busy@example.gov.uk", "later@example.gov.uk"])
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)

        let rejected = await channel.send(messages[0], key: "k1", context: EmailFixture.attempt, via: transport)
        #expect(rejected.verdict.isDead, "\(rejected.verdict)")
        #expect(rejected.verdict.reason.contains("SMTP 550"))
        let busy = await channel.send(messages[1], key: "k2", context: EmailFixture.attempt, via: transport)
        #expect(busy.verdict.isRetry, "\(busy.verdict)")
        #expect(busy.verdict.reason.contains("SMTP 451"))
        // Refused after the whole message went over: the server said no, so resending is safe.
        let later = await channel.send(messages[2], key: "k3", context: EmailFixture.attempt, via: transport)
        #expect(later.verdict.isRetry, "\(later.verdict)")
        #expect(later.status == 451)
        #expect((await server.nextReport())?["outcome"] as? String == "deferred")

        let wrong = try self.channel(server, recipients: ["ops@example.gov.uk"], password: "not-the-password")
        let denied = await wrong.send(wrong.render(EmailFixture.digest, context: EmailFixture.context)[0], key: "k4",
                                      context: EmailFixture.attempt, via: transport)
        #expect(denied.verdict.isDead, "\(denied.verdict)")
        #expect(denied.verdict.reason.contains("authentication"))
        for report in [rejected, busy, later, denied] {
            #expect(!report.verdict.reason.contains("not-the-password"))
            #expect(!report.verdict.reason.contains(Self.password))
            #expect(!(report.excerpt ?? "").contains(Self.password))
        }
    }

    @Test func aSendCutOffAfterDataIsUnknownAndItsRetryKeepsTheMessageID() async throws {
        let server = try await ScriptServer.start("smtp_server.py", ["starttls", ScriptServer.scratch(), "herald", Self.password])
        let client = testClient(trusting: server)
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try channel(server, recipients: ["drop@example.gov.uk"])
        let message = try #require(channel.render(EmailFixture.digest, context: EmailFixture.context).first)

        let first = await channel.send(message, key: "k_retry-1", context: EmailFixture.attempt, via: transport)
        #expect(first.verdict.isUnknown, "SMTP cannot deduplicate: \(first.verdict)")
        let dropped = try #require(await server.nextReport())
        #expect(dropped["outcome"] as? String == "dropped")

        // The operator retries: same delivery key, later attempt.
        let later = RequestContext(now: EmailFixture.now.addingTimeInterval(600))
        let second = await channel.send(message, key: "k_retry-1", context: later, via: transport)
        #expect(second.verdict.isSent, "\(second.verdict)")
        let accepted = try #require(await server.nextReport())
        #expect(accepted["outcome"] as? String == "accepted")
        #expect(accepted["message_id"] as? String == dropped["message_id"] as? String)
        #expect(accepted["message_id"] as? String == "<k_retry-1@example.gov.uk>")
        #expect(problems(accepted) == [])
    }

    @Test func requiredSTARTTLSNeverFallsBackToClearText() async throws {
        let server = try await ScriptServer.start("smtp_server.py", ["plain", ScriptServer.scratch()])
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let channel = try SMTPChannel(DestinationSettings(
            name: "e", url: "smtp://127.0.0.1:\(server.port)?from=herald@example.gov.uk", recipients: ["ops@example.gov.uk"]))
        let message = try #require(channel.render(EmailFixture.digest, context: EmailFixture.context).first)
        let report = await channel.send(message, key: "k", context: EmailFixture.attempt, via: CurlTransport(client: client))
        #expect(report.verdict.isRetry, "\(report.verdict)")
        #expect(report.verdict.reason.contains("not sent"))
    }

    @Test func connectionRefusedRetries() async throws {
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let channel = try SMTPChannel(DestinationSettings(
            name: "e", url: "smtp://127.0.0.1:1?from=herald@example.gov.uk", recipients: ["ops@example.gov.uk"]))
        let message = try #require(channel.render(EmailFixture.digest, context: EmailFixture.context).first)
        let report = await channel.send(message, key: "k", context: EmailFixture.attempt, via: CurlTransport(client: client))
        #expect(report.verdict.isRetry, "\(report.verdict)")
    }
}
