import CurlKit
import Foundation
import Testing

/// What the `smtp` fixture records per accepted message.
private struct Received: Decodable {
    var from: String
    var rcpt: [String]
    var auth: String?
    var data: String
}

private let message = [
    "From: Herald <herald@example.gov.uk>",
    "To: ops@example.gov.uk",
    "Subject: =?UTF-8?B?wqMxMG0gc3VtbWFyeQ==?=",
    "Message-ID: <k1@herald.example>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "21 awards to date.",
    ".a line that starts with a dot",
    ".",
    "..two dots",
    "end",
    "",
].joined(separator: "\r\n")

@Suite struct CurlClientMailTests {
    @Test func sendDeliversEnvelopeAndMessageIntact() async throws {
        let server = try await TestServer.start("smtp")
        let client = CurlClient()
        let mail = MailTransfer(
            url: server.url(scheme: "smtp"), starttls: .opportunistic,
            username: "herald", password: "hunter2-secret",
            from: "herald@example.gov.uk", recipients: ["ops@example.gov.uk", "boss@example.gov.uk"],
            message: Data(message.utf8))
        let receipt = try await client.send(mail)
        #expect(receipt.responseCode == 250)
        #expect(receipt.reply.hasPrefix("250 2.0.0 Ok: queued as SINK"))

        let line = try #require(await server.nextLine())
        let received = try JSONDecoder().decode(Received.self, from: Data(line.utf8))
        #expect(received.from == "herald@example.gov.uk")
        #expect(received.rcpt == ["ops@example.gov.uk", "boss@example.gov.uk"])
        #expect(received.auth == "herald")
        #expect(received.data == message)
        #expect(received.data.contains("\r\n.a line that starts with a dot\r\n.\r\n..two dots\r\n"))
        #expect(!mail.description.contains("hunter2"))

        // HTTP and mail share the loop: a second mail on the same client works too.
        _ = try await client.send(mail)
        #expect(await server.nextLine() != nil)
        await client.shutdown()
    }

    @Test func requiredStartTLSWithoutServerSupportFailsUnsent() async throws {
        let server = try await TestServer.start("smtp")
        let client = CurlClient()
        do {
            _ = try await client.send(MailTransfer(
                url: server.url(scheme: "smtp"), starttls: .required,
                from: "herald@example.gov.uk", recipients: ["ops@example.gov.uk"], message: Data(message.utf8)))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .tls, "\(error)")
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()
    }

    @Test func refusedRecipientReportsTheReplyCodeUnsent() async throws {
        let server = try await TestServer.start("smtp")
        let client = CurlClient()
        do {
            _ = try await client.send(MailTransfer(
                url: server.url(scheme: "smtp"), starttls: .none,
                from: "herald@example.gov.uk", recipients: ["reject@example.gov.uk"], message: Data(message.utf8)))
            Issue.record("expected a failure")
        } catch {
            #expect(error.responseCode == 550, "\(error)")
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()
    }

    @Test func authenticationFailureNeverEchoesThePassword() async throws {
        let server = try await TestServer.start("smtp-authfail")
        let client = CurlClient()
        do {
            _ = try await client.send(MailTransfer(
                url: "smtp://herald:url-pass-123@127.0.0.1:\(server.port)", starttls: .none,
                username: "herald", password: "hunter2-secret",
                from: "herald@example.gov.uk", recipients: ["ops@example.gov.uk"], message: Data(message.utf8)))
            Issue.record("expected a failure")
        } catch {
            #expect(error.responseCode == 535, "\(error)")
            #expect(error.requestMayHaveBeenSent == false)
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("url-pass-123"))
            #expect(error.url == "smtp://127.0.0.1:\(server.port)")
        }
        await client.shutdown()
    }

    @Test func mailRefusesHTTPURLsAndBadEnvelopes() async throws {
        let client = CurlClient()
        do {
            _ = try await client.send(MailTransfer(
                url: "http://127.0.0.1:1/", from: "a@example.org", recipients: ["b@example.org"], message: Data()))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .protocolNotAllowed)
        }
        do {
            _ = try await client.send(MailTransfer(
                url: "smtp://127.0.0.1:1/", from: "a@example.org", recipients: ["b@example.org>\r\nDATA"],
                message: Data()))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .invalidRequest)
            #expect(error.requestMayHaveBeenSent == false)
        }
        await client.shutdown()
    }
}
