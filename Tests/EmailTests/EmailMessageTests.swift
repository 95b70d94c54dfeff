import Channels
import CurlKit
import Foundation
import ReportKit
import Testing

/// Messages built without a server, checked by Python's `email` package (`mime_check.py`): encodings,
/// header folding, line limits and address handling.
@Suite struct EmailMessageTests {
    func smtp(_ query: String = "", recipients: [String] = ["ops@example.gov.uk"], endpoint: String? = nil) throws -> SMTPChannel {
        try SMTPChannel(DestinationSettings(
            name: "e", url: "smtps://herald:hunter2-secret@smtp.example.gov.uk:465?from=herald@example.gov.uk" + query,
            endpoint: endpoint, recipients: recipients,
            recipientPositions: recipients.indices.map { "etc/stakeholders.txt:\($0 + 3)" }))
    }

    func message(_ channel: SMTPChannel, _ digest: Digest, recipient: Int = 0, key: String = "k_1") throws -> Data {
        let messages = channel.render(digest, context: EmailFixture.context)
        return try channel.mailTransfer(for: messages[recipient], key: key, context: EmailFixture.attempt).message
    }

    @Test(arguments: [
        EmailFixture.subject,
        "Plain ASCII subject",
        "A plain ASCII subject that is long enough to need folding across more than one header line, surely",
        String(repeating: "Ōtautahi mutuals — ", count: 12),
        "👩‍👩‍👧‍👦 family emoji sequences 👨🏽‍🚀 and flags 🇬🇧🇳🇿 " + String(repeating: "🎉", count: 30),
        "Looks like =?UTF-8?B?encoded?= but is not",
        "tab\tand trailing space ",
    ])
    func subjectsDecodeExactly(_ subject: String) throws {
        var digest = EmailFixture.digest
        digest.title = subject
        let report = try mimeCheck(try message(try smtp(), digest))
        #expect(problems(report) == [])
        #expect(report["subject"] as? String == subject.replacingOccurrences(of: "\t", with: " ").trimmingCharacters(in: .whitespaces)
            || report["subject"] as? String == subject)
    }

    @Test func bodiesAreQuotedPrintableOrBase64WithinLineLimits() throws {
        // Mostly ASCII: quoted-printable. Mostly non-ASCII: base64 (smaller than QP for such text).
        let ascii = try mimeCheck(try message(try smtp(), EmailFixture.digest))
        #expect(problems(ascii) == [])
        #expect(ascii["transfer_encodings"] as? [String] == ["quoted-printable", "quoted-printable"])
        let maori = Digest(title: "Ōtautahi", summary: String(repeating: "āēīōū ", count: 400))
        let nonASCII = try mimeCheck(try message(try smtp(), maori))
        #expect(problems(nonASCII) == [])
        #expect((nonASCII["transfer_encodings"] as? [String])?.first == "base64")
        #expect((nonASCII["text"] as? String)?.contains(String(repeating: "āēīōū ", count: 400).trimmingCharacters(in: .whitespaces)) == true)
    }

    @Test func headersNamesAndAddresses() throws {
        let channel = try smtp("&name=Comms%2C%20Cabinet%20Office&reply_to=replies@example.gov.uk"
            + "&unsubscribe=mailto:unsubscribe@example.gov.uk",
            recipients: ["\"Smith, Ann\" <ann@Example.GOV.uk>", "Ōtautahi Ngā Kaitiaki Whānau Trust Partnership Board <board@example.org>"])
        let first = try mimeCheck(try message(channel, EmailFixture.digest, recipient: 0))
        #expect(problems(first) == [])
        #expect(first["from_name"] as? String == "Comms, Cabinet Office")
        #expect(first["to_name"] as? String == "Smith, Ann")
        #expect(first["to_address"] as? String == "ann@Example.GOV.uk")
        #expect(first["reply_to"] as? String == "replies@example.gov.uk")
        #expect(first["list_unsubscribe"] as? String == "<mailto:unsubscribe@example.gov.uk>")
        #expect(first["list_unsubscribe_post"] == nil || first["list_unsubscribe_post"] is NSNull, "one-click needs https")
        let second = try mimeCheck(try message(channel, EmailFixture.digest, recipient: 1))
        #expect(problems(second) == [])
        #expect(second["to_name"] as? String == "Ōtautahi Ngā Kaitiaki Whānau Trust Partnership Board")
        #expect(channel.recipients == ["ann@example.gov.uk", "board@example.org"])
    }

    @Test func messageIDComesFromTheKeyAndTheBodyIsSharedByteForByte() throws {
        let channel = try smtp(recipients: (0..<3).map { "person\($0)@example.gov.uk" })
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)
        #expect(Set(messages.map(\.payload)).count == 1)
        #expect(channel.render(EmailFixture.digest, context: EmailFixture.context) == messages, "rendering is deterministic")
        let a = try channel.mailTransfer(for: messages[1], key: "k_key-1", context: EmailFixture.attempt)
        let b = try channel.mailTransfer(for: messages[1], key: "k_key-1", context: RequestContext(now: EmailFixture.now + 3600))
        let id = "Message-ID: <k_key-1@example.gov.uk>\r\n"
        #expect(String(decoding: a.message, as: UTF8.self).contains(id))
        #expect(String(decoding: b.message, as: UTF8.self).contains(id))
        #expect(a.recipients == ["person1@example.gov.uk"])
        #expect(a.from == "herald@example.gov.uk")
        #expect(a.url == "smtps://smtp.example.gov.uk:465")
        #expect(a.username == "herald")
        #expect(a.password == "hunter2-secret")
        #expect(a.message.suffix(message: messages[1].payload))
    }

    @Test func recipientsAreScreenedWithTheirPositions() throws {
        let channel = try smtp(recipients: ["ok@example.gov.uk", "bob@", "no-at-sign", "OK@example.gov.uk", "ok@EXAMPLE.gov.uk",
                                            "spaces in@example.gov.uk", "a@localhost", "ünï@example.gov.uk", "x@exa_mple.org"])
        #expect(channel.recipients == ["ok@example.gov.uk", "OK@example.gov.uk"])
        let rejected = channel.rejectedRecipients
        #expect(rejected.map(\.position) == ["etc/stakeholders.txt:4", "etc/stakeholders.txt:5", "etc/stakeholders.txt:7",
                                             "etc/stakeholders.txt:8", "etc/stakeholders.txt:9", "etc/stakeholders.txt:10",
                                             "etc/stakeholders.txt:11"])
        #expect(rejected[0].reason.contains("nothing after the '@'"))
        #expect(rejected[1].reason.contains("no '@'"))
        #expect(rejected[2].reason == "already listed at etc/stakeholders.txt:3")
        #expect(rejected.allSatisfy { !$0.reason.isEmpty })
        #expect("\(rejected[0])" == "etc/stakeholders.txt:4: 'bob@' skipped: nothing after the '@'")

        #expect(throws: ChannelError.self) { try smtp(recipients: ["bob@", "nobody"]) }
        #expect(throws: ChannelError.self) { try smtp(recipients: []) }
    }

    @Test func tenThousandRecipientsRenderOnce() throws {
        let recipients = (0..<10_000).map { "person\($0)@example.gov.uk" }
        let channel = try smtp(recipients: recipients)
        let messages = channel.render(EmailFixture.digest, context: EmailFixture.context)
        #expect(messages.count == 10_000)
        #expect(messages.map(\.recipient) == recipients)
        // Every payload is the same buffer, not 10,000 copies.
        let first = messages[0].payload
        #expect(messages.allSatisfy { $0.payload == first })
        let last = try channel.mailTransfer(for: messages[9_999], key: "k_9999", context: EmailFixture.attempt)
        #expect(last.recipients == ["person9999@example.gov.uk"])
    }

    @Test func urlFormsAndRefusals() throws {
        let base = "?from=herald@example.gov.uk"
        let ok = try SMTPChannel(DestinationSettings(name: "e", url: "smtp://user:pw@mail.example.gov.uk:587\(base)&starttls=required",
                                                     endpoint: "smtp://127.0.0.1:2525", recipients: ["a@example.gov.uk"]))
        let mail = try ok.mailTransfer(for: ok.render(EmailFixture.digest, context: EmailFixture.context)[0], key: "k",
                                       context: EmailFixture.attempt)
        #expect(mail.url == "smtp://127.0.0.1:2525", "endpoint: replaces the server")
        #expect(mail.starttls == .required)

        expectRefused([
            ("smtp://user:pw@mail.example.gov.uk:25\(base)&starttls=none", "starttls=required"),
            ("smtp://mail.example.gov.uk", "from="),
            ("smtp://mail.example.gov.uk?from=not-an-address", "sender address"),
            ("smtp://mail.example.gov.uk\(base)&starttls=maybe", "starttls="),
            ("smtp://mail.example.gov.uk\(base)&bcc=x@example.org", "unknown SMTP option 'bcc'"),
            ("smtp://mail.example.gov.uk\(base)&unsubscribe=javascript:alert(1)", "unsubscribe="),
            ("smtp://:secretpw@mail.example.gov.uk\(base)", "user name"),
        ], secret: "secretpw")
        #expect(throws: ChannelError.self) {
            try SMTPChannel(DestinationSettings(name: "e", url: "smtp://h.example.org\(base)", endpoint: "https://127.0.0.1:1",
                                                recipients: ["a@example.gov.uk"]))
        }
    }

    @Test func previewsHideThePassword() throws {
        let channel = try smtp()
        let message = channel.render(EmailFixture.digest, context: EmailFixture.context)[0]
        let transmission = try channel.transmission(for: message, key: "k", context: EmailFixture.attempt)
        guard case .mail(let mail) = channel.redacted(transmission) else {
            Issue.record("expected a mail transmission")
            return
        }
        #expect(mail.password == "****")
        #expect(!mail.url.contains("hunter2"))
        #expect(!"\(mail)".contains("hunter2"))
    }

    @Test func smtpRepliesAndTransportErrorsAreClassified() throws {
        let channel = try smtp()
        func error(_ code: CurlError.Code, curl: Int = 0, reply: Int?, sent: Bool) -> CurlError {
            CurlError(code: code, curlCode: curl, message: "failed with hunter2-secret", url: "smtps://smtp.example.gov.uk:465",
                      responseCode: reply, requestMayHaveBeenSent: sent)
        }
        for code in [421, 450, 451, 452] {
            #expect(channel.classify(error(.sendFailed, reply: code, sent: false)).isRetry, "\(code)")
        }
        for code in [550, 552, 553, 554] {
            #expect(channel.classify(error(.sendFailed, reply: code, sent: false)).isDead, "\(code)")
        }
        #expect(channel.classify(error(.other, curl: 8, reply: 554, sent: true)).isDead, "refused after DATA")
        #expect(channel.classify(error(.other, curl: 67, reply: 535, sent: false)).reason.contains("authentication"))
        #expect(channel.classify(error(.couldNotConnect, curl: 7, reply: nil, sent: false)).isRetry)
        #expect(channel.classify(error(.couldNotResolve, curl: 6, reply: nil, sent: false)).isRetry)
        #expect(channel.classify(error(.receiveFailed, curl: 56, reply: 354, sent: true)).isUnknown)
        #expect(channel.classify(error(.timedOut, curl: 28, reply: nil, sent: true)).isUnknown)
        #expect(!channel.classify(error(.timedOut, curl: 28, reply: nil, sent: true)).reason.contains("hunter2"))
    }
}

extension Data {
    /// Whether this data ends with `message`.
    fileprivate func suffix(message: Data) -> Bool {
        count >= message.count && self.suffix(message.count) == message
    }
}
