import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// SendGrid, Mailgun, Postmark and GOV.UK Notify against `Servers/api_server.py`, which checks
/// authentication (API keys, Basic auth, Notify's HS256 JWT and its 30-second clock window) and the
/// request fields as the real services do, and refuses otherwise.
@Suite(.serialized) struct EmailAPIChannelTests {
    static let sendgridKey = "SG.test-key.abcdefghijklmnop"
    static let mailgunKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
    static let postmarkToken = "0b7f35a9-1c7d-4e6f-9f1b-postmark-token"
    static let serviceID = "26785a09-ab16-4eb0-8407-a37497a57506"
    static let secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
    static let notifyKey = "herald-live-key-\(serviceID)-\(secret)"
    static let templateID = "9d751e0e-f929-4891-82a1-a3e1c3c18ee3"

    static func startServer() async throws -> ScriptServer {
        let config: [String: String] = [
            "sendgrid_key": sendgridKey, "mailgun_key": mailgunKey, "mailgun_domain": "mg.example.gov.uk",
            "postmark_token": postmarkToken, "notify_service_id": serviceID, "notify_secret": secret,
            "notify_template_id": templateID,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        return try await ScriptServer.start("api_server.py", [json])
    }

    func settings(_ url: String, _ server: ScriptServer, recipients: [String]) -> DestinationSettings {
        DestinationSettings(name: "stakeholders", url: url, endpoint: "http://127.0.0.1:\(server.port)", recipients: recipients)
    }

    @Test func sendGrid() async throws {
        let server = try await Self.startServer()
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try SendGridChannel(settings(
            "sendgrid://\(Self.sendgridKey):herald@example.gov.uk/ann@example.gov.uk?name=Herald%20Digest"
                + "&unsubscribe=https://example.gov.uk/u?e=%7Brecipient%7D",
            server, recipients: ["Ōtautahi Team <team@example.org>", "ratelimited@example.org", "bad address"]))
        #expect(channel.recipients == ["ann@example.gov.uk", "team@example.org", "ratelimited@example.org"])
        #expect(channel.rejectedRecipients.map(\.position) == ["to[2]"])
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)

        let ok = await channel.send(messages[1], key: "k_sg-1", context: RequestContext(), via: transport)
        #expect(ok.verdict.isSent, "\(ok.verdict)")
        #expect(ok.verdict.remoteID?.hasPrefix("sg-") == true)
        let seen = try #require(await server.nextReport())
        #expect(seen["problems"] as? [String] == [])
        let body = try #require(seen["body"] as? [String: Any])
        let person = try #require((body["personalizations"] as? [[String: Any]])?.first)
        #expect((person["to"] as? [[String: Any]])?.first?["email"] as? String == "team@example.org")
        #expect((person["to"] as? [[String: Any]])?.first?["name"] as? String == "Ōtautahi Team")
        #expect((person["custom_args"] as? [String: String])?["herald_key"] == "k_sg-1")
        #expect((person["headers"] as? [String: String])?["List-Unsubscribe"] == "<https://example.gov.uk/u?e=team%40example.org>")
        #expect(body["subject"] as? String == EmailFixture.subject)
        let content = try #require(body["content"] as? [[String: String]])
        #expect(content.map { $0["type"] } == ["text/plain", "text/html"])
        #expect(content[0]["value"] == EmailRendering.text(EmailFixture.digest, context: EmailFixture.context))
        #expect((body["from"] as? [String: String]) == ["email": "herald@example.gov.uk", "name": "Herald Digest"])

        let limited = await channel.send(messages[2], key: "k_sg-2", context: RequestContext(), via: transport)
        #expect(limited.verdict.isRetry, "\(limited.verdict)")
        #expect((limited.verdict.retryDelay ?? 0) > 30, "X-RateLimit-Reset is honoured")
        _ = await server.nextReport()

        let wrong = try SendGridChannel(settings("sendgrid://SG.wrong-key-123:herald@example.gov.uk", server,
                                                 recipients: ["ann@example.gov.uk"]))
        let denied = await wrong.send(wrong.render(EmailFixture.digest, context: EmailFixture.context)[0], key: "k",
                                      context: RequestContext(), via: transport)
        #expect(denied.verdict.isDead)
        #expect(denied.status == 401)
        #expect(!denied.verdict.reason.contains("SG.wrong-key-123"))
        _ = await server.nextReport()

        let request = try channel.request(for: messages[0], key: "k", context: RequestContext())
        let redacted = channel.redacted(request)
        #expect(redacted.header("Authorization") == "Bearer ****")
        #expect(!redacted.url.contains(Self.sendgridKey))
    }

    @Test func mailgun() async throws {
        let server = try await Self.startServer()
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try MailgunChannel(settings(
            "mailgun://herald@mg.example.gov.uk/\(Self.mailgunKey)?name=Herald&region=eu&reply_to=replies@example.gov.uk",
            server, recipients: ["Ann <ann@example.gov.uk>", "ratelimited@example.org"]))
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)
        let ok = await channel.send(messages[0], key: "k_mg-1", context: RequestContext(), via: transport)
        #expect(ok.verdict.isSent, "\(ok.verdict)")
        #expect(ok.verdict.remoteID?.hasSuffix("@mg.example.gov.uk") == true)
        let seen = try #require(await server.nextReport())
        #expect(seen["problems"] as? [String] == [])
        let body = try #require(seen["body"] as? [String: String])
        #expect(body["to"] == "\"Ann\" <ann@example.gov.uk>")
        #expect(body["from"] == "\"Herald\" <herald@mg.example.gov.uk>")
        #expect(body["subject"] == EmailFixture.subject)
        #expect(body["v:herald-key"] == "k_mg-1")
        #expect(body["h:Reply-To"] == "replies@example.gov.uk")
        #expect(body["html"] == EmailRendering.html(EmailFixture.digest, context: EmailFixture.context))

        let limited = await channel.send(messages[1], key: "k_mg-2", context: RequestContext(), via: transport)
        #expect(limited.verdict.retryDelay == 9, "\(limited.verdict)")
        _ = await server.nextReport()

        let wrongDomain = try MailgunChannel(settings("mailgun://herald@other.example.gov.uk/\(Self.mailgunKey)", server,
                                                      recipients: ["ann@example.gov.uk"]))
        let gone = await wrongDomain.send(wrongDomain.render(EmailFixture.digest, context: EmailFixture.context)[0], key: "k",
                                          context: RequestContext(), via: transport)
        #expect(gone.verdict.isDead)
        #expect(gone.verdict.reason.contains("Domain not found"))
        _ = await server.nextReport()
        let redacted = channel.redacted(try channel.request(for: messages[0], key: "k", context: RequestContext()))
        #expect(redacted.header("Authorization") == "Basic ****")
    }

    @Test func postmark() async throws {
        let server = try await Self.startServer()
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try PostmarkChannel(settings(
            "postmark://\(Self.postmarkToken):herald@example.gov.uk?stream=broadcast&unsubscribe=https://example.gov.uk/u",
            server, recipients: ["ann@example.gov.uk", "inactive@example.org", "ratelimited@example.org"]))
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)
        let ok = await channel.send(messages[0], key: "k_pm-1", context: RequestContext(), via: transport)
        #expect(ok.verdict.isSent, "\(ok.verdict)")
        #expect(ok.verdict.remoteID?.count == 36)
        let seen = try #require(await server.nextReport())
        #expect(seen["problems"] as? [String] == [])
        let body = try #require(seen["body"] as? [String: Any])
        #expect(body["To"] as? String == "ann@example.gov.uk")
        #expect(body["MessageStream"] as? String == "broadcast")
        #expect((body["Metadata"] as? [String: String])?["herald_key"] == "k_pm-1")
        #expect((body["Headers"] as? [[String: String]])?.map { $0["Name"] ?? "" } == ["List-Unsubscribe", "List-Unsubscribe-Post"])
        #expect(body["TextBody"] as? String == EmailRendering.text(EmailFixture.digest, context: EmailFixture.context))

        let inactive = await channel.send(messages[1], key: "k_pm-2", context: RequestContext(), via: transport)
        #expect(inactive.verdict.isDead)
        #expect(inactive.verdict.reason.contains("406"))
        _ = await server.nextReport()
        let limited = await channel.send(messages[2], key: "k_pm-3", context: RequestContext(), via: transport)
        #expect(limited.verdict.isRetry, "\(limited.verdict)")
        _ = await server.nextReport()
        let wrong = try PostmarkChannel(settings("postmark://wrong-token-123?from=herald@example.gov.uk", server,
                                                 recipients: ["ann@example.gov.uk"]))
        let denied = await wrong.send(wrong.render(EmailFixture.digest, context: EmailFixture.context)[0], key: "k",
                                      context: RequestContext(), via: transport)
        #expect(denied.verdict.isDead)
        #expect(!denied.verdict.reason.contains("wrong-token-123"))
        let redacted = channel.redacted(try channel.request(for: messages[0], key: "k", context: RequestContext()))
        #expect(redacted.header("X-Postmark-Server-Token") == "****")
    }

    @Test func notify() async throws {
        let server = try await Self.startServer()
        let client = CurlClient()
        defer { Task { await client.shutdown() } }
        let transport = CurlTransport(client: client)
        let channel = try NotifyChannel(settings(
            "notify://\(Self.notifyKey)/\(Self.templateID)?unsubscribe=https://example.gov.uk/u?e=%7Brecipient%7D",
            server, recipients: ["ann@example.gov.uk", "daily@example.org", "ratelimited@example.org"]))
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)

        let ok = await channel.send(messages[0], key: "k_nt-1", context: RequestContext(), via: transport)
        #expect(ok.verdict.isSent, "\(ok.verdict)")
        #expect(ok.status == 201)
        let seen = try #require(await server.nextReport())
        #expect(seen["problems"] as? [String] == [])
        let body = try #require(seen["body"] as? [String: Any])
        #expect(body["email_address"] as? String == "ann@example.gov.uk")
        #expect(body["reference"] as? String == "k_nt-1")
        #expect(body["one_click_unsubscribe_url"] as? String == "https://example.gov.uk/u?e=ann%40example.gov.uk")
        let personalisation = try #require(body["personalisation"] as? [String: String])
        #expect(personalisation["title"] == EmailFixture.subject)
        #expect(personalisation["body"]?.contains("## Top recipients <2014>") == true)
        #expect(personalisation["body"]?.contains("* Knowsley Youth Mutual: £93,000 – https://example.org/knowsley?a=1&b=2") == true)

        let daily = await channel.send(messages[1], key: "k_nt-2", context: RequestContext(), via: transport)
        #expect(daily.verdict.isRetry)
        #expect((daily.verdict.retryDelay ?? 0) > 0 && (daily.verdict.retryDelay ?? 0) <= 86_400, "retries after midnight UTC")
        _ = await server.nextReport()
        let limited = await channel.send(messages[2], key: "k_nt-3", context: RequestContext(), via: transport)
        #expect(limited.verdict.retryDelay == 60, "\(limited.verdict)")
        _ = await server.nextReport()

        // A clock two minutes out makes a token Notify refuses: dead, with the reason.
        let skewed = await channel.send(messages[0], key: "k_nt-4", context: RequestContext(now: Date().addingTimeInterval(-120)),
                                        via: transport)
        #expect(skewed.verdict.isDead)
        #expect(skewed.status == 403)
        #expect(((await server.nextReport())?["problems"] as? [String])?.first?.contains("clock") == true)

        let request = try channel.request(for: messages[0], key: "k", context: RequestContext())
        let redacted = channel.redacted(request)
        #expect(redacted.header("Authorization") == "Bearer ****")
        #expect(!String(decoding: redacted.body, as: UTF8.self).contains(Self.secret))
        #expect(!"\(redacted)".contains(Self.secret))
    }

    @Test func notifyTokenMatchesTheReferenceVector() throws {
        let key = try NotifyKey(Self.notifyKey)
        #expect(key.serviceID == Self.serviceID)
        #expect(key.token(at: Date(timeIntervalSince1970: 1_568_818_578)) ==
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiIyNjc4NWEwOS1hYjE2LTRlYjAtODQwNy1hMzc0OTdhNTc1MDYiLCJpYXQiOjE1Njg4MTg1Nzh9"
            + ".YT_aQYNif0l3HaPwy62Cj9g0qsYzjnj1K5pLwkELiFw")
        for bad in ["", "not-a-key", Self.serviceID + "-" + Self.secret.dropLast() + "x", "name-\(Self.serviceID)"] {
            do {
                _ = try NotifyKey(bad)
                Issue.record("expected '\(bad)' to be refused")
            } catch {
                #expect(!error.message.contains(Self.secret))
            }
        }
    }

    @Test func urlFormsAreValidated() throws {
        expectRefused([
            ("sendgrid://SG.key-12345678", "sender address"),
            ("sendgrid://SG.key-12345678:herald@example.gov.uk?region=mars", "region="),
            ("mailgun://mg.example.gov.uk/key-123456789", "user@sending-domain"),
            ("mailgun://herald@mg.example.gov.uk", "API key"),
            ("postmark://token-12345678:herald@example.gov.uk?stream=a%20b", "stream="),
            ("notify://\(Self.notifyKey)", "template"),
            ("notify://\(Self.notifyKey)/\(Self.templateID)?unsubscribe=mailto:u@example.gov.uk", "https"),
            ("notify://broken-key/\(Self.templateID)", "key_name-SERVICE_ID-SECRET"),
        ], secret: Self.secret)
    }
}
